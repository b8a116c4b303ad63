"""PrinterError: why a ticket did not print, for the resident (their language) and the log."""

from __future__ import annotations

from shared.domain.errors import QueueHallError

# What a resident standing at the kiosk is told; the English detail goes to the log.
RESIDENT_MESSAGES = {
    "offline": {
        "zh_CN": "打印机暂时无法使用，请联系工作人员。",
        "en": "The printer is not ready. Please ask the staff for help.",
    },
    "paper_out": {
        "zh_CN": "打印机缺纸，请联系工作人员。",
        "en": "The printer is out of paper. Please ask the staff for help.",
    },
    "cover_open": {
        "zh_CN": "打印机盖未关好，请联系工作人员。",
        "en": "The printer cover is open. Please ask the staff for help.",
    },
    "not_found": {
        "zh_CN": "找不到打印机，请联系工作人员。",
        "en": "The printer cannot be reached. Please ask the staff for help.",
    },
    "unavailable": {
        "zh_CN": "本机无法使用所设置的打印机，请联系工作人员。",
        "en": "This kiosk cannot use the configured printer. Please ask the staff for help.",
    },
    "timeout": {
        "zh_CN": "打印机没有响应，请联系工作人员。",
        "en": "The printer does not respond. Please ask the staff for help.",
    },
    "io_error": {
        "zh_CN": "打印失败，请联系工作人员。",
        "en": "Printing failed. Please ask the staff for help.",
    },
}

ERROR_CODES = tuple(RESIDENT_MESSAGES)


class PrinterError(QueueHallError):
    """A ticket could not be printed (or the printer could not be used).

    `code` is one of ERROR_CODES, `detail` is English for the log, `message` is the
    Chinese text for the resident; `user_message(lang)` gives it in another language.
    """

    def __init__(self, code: str, detail: str) -> None:
        if code not in RESIDENT_MESSAGES:
            raise ValueError(f"printer error code must be one of {ERROR_CODES}, not {code!r}")
        super().__init__(code, detail)
        self.code = code
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"

    @property
    def message(self) -> str:
        return self.user_message("zh_CN")

    def user_message(self, lang: str = "zh_CN") -> str:
        texts = RESIDENT_MESSAGES[self.code]
        return texts.get(lang, texts["zh_CN"])

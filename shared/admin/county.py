"""A county-sized catalog to try a big hall: 25 departments, 1,500 matters.

`queue-hall demo --catalog county` serves it (`demo_config("county")`), and `county_csv()` writes it in the
`queue-hall catalog import` format. `widest=True` makes every name as long (in characters
and in UTF-8 bytes) as the bounds of shared.domain.limits allow: the worst case a hall can import.
"""

from __future__ import annotations

import csv
import dataclasses
import io

from shared.admin.catalog_csv import CSV_COLUMNS
from shared.config.hall import (
    Catalog,
    Category,
    CounterConfig,
    HallConfig,
    Service,
    default_config,
    pinyin_initials,
)
from shared.domain import limits

# (code, prefix, name, name_en, topics): a county hall's departments and what they deal with.
DEPARTMENTS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "hrss",
        "A",
        "人力资源和社会保障局",
        "Human Resources and Social Security",
        ("养老保险", "失业保险", "工伤保险", "就业登记", "职业技能", "社会保障卡", "劳动关系"),
    ),
    (
        "medical",
        "B",
        "医疗保障局",
        "Healthcare Security",
        ("医保参保", "异地就医", "门诊慢特病", "生育津贴", "医疗救助"),
    ),
    (
        "civil",
        "C",
        "民政局",
        "Civil Affairs",
        ("婚姻登记", "低保救助", "社会组织", "养老服务", "殡葬管理"),
    ),
    (
        "tax",
        "D",
        "税务局",
        "Taxation",
        ("发票领用", "纳税申报", "税务登记", "个税汇算", "社保费缴纳"),
    ),
    (
        "estate",
        "E",
        "不动产登记中心",
        "Real Estate Registration",
        ("房屋所有权", "抵押权", "预告登记", "查封登记", "宅基地使用权"),
    ),
    (
        "land",
        "F",
        "自然资源局",
        "Natural Resources",
        ("建设用地", "规划许可", "土地复垦", "测绘成果", "矿业权"),
    ),
    (
        "market",
        "G",
        "市场监督管理局",
        "Market Regulation",
        ("营业执照", "食品经营", "特种设备", "药品零售", "商标质押"),
    ),
    (
        "police",
        "H",
        "公安局户政",
        "Household Registration",
        ("户口迁移", "居民身份证", "居住证", "出入境证件", "机动车登记"),
    ),
    (
        "agri",
        "J",
        "农业农村局",
        "Agriculture and Rural Affairs",
        ("农机购置补贴", "种子经营", "动物防疫", "渔业捕捞", "农药经营"),
    ),
    (
        "housing",
        "K",
        "住房和城乡建设局",
        "Housing and Urban-Rural Development",
        ("施工许可", "商品房预售", "建筑业资质", "房屋租赁", "公租房"),
    ),
    (
        "transport",
        "L",
        "交通运输局",
        "Transport",
        ("道路运输经营", "出租汽车", "从业资格", "超限运输", "网约车"),
    ),
    (
        "health",
        "M",
        "卫生健康委员会",
        "Health Commission",
        ("医疗机构执业", "医师执业", "出生医学证明", "公共场所卫生", "母婴保健"),
    ),
    (
        "education",
        "N",
        "教育局",
        "Education",
        ("民办学校", "教师资格", "学籍管理", "校外培训", "学生资助"),
    ),
    (
        "veterans",
        "P",
        "退役军人事务局",
        "Veterans Affairs",
        ("优待证", "抚恤补助", "安置就业", "光荣牌", "优抚对象"),
    ),
    (
        "disabled",
        "Q",
        "残疾人联合会",
        "Disabled Persons' Federation",
        ("残疾人证", "康复救助", "辅助器具", "两项补贴", "就业扶持"),
    ),
    (
        "fund",
        "R",
        "住房公积金管理中心",
        "Housing Provident Fund",
        ("公积金缴存", "公积金提取", "公积金贷款", "账户转移", "缴存基数"),
    ),
    (
        "ecology",
        "S",
        "生态环境局",
        "Ecology and Environment",
        ("环评审批", "排污许可", "危废转移", "辐射安全", "环境监测"),
    ),
    (
        "water",
        "T",
        "水利局",
        "Water Resources",
        ("取水许可", "河道采砂", "水土保持", "洪水影响评价", "水利工程"),
    ),
    (
        "culture",
        "U",
        "文化广电旅游局",
        "Culture, Broadcasting and Tourism",
        ("娱乐场所", "网吧经营", "旅行社", "演出经营", "卫星接收"),
    ),
    (
        "justice",
        "V",
        "司法局",
        "Justice",
        ("法律援助", "公证服务", "人民调解", "律师执业", "基层法律服务"),
    ),
    (
        "emergency",
        "W",
        "应急管理局",
        "Emergency Management",
        ("危化品经营", "烟花爆竹", "安全生产", "应急预案", "特种作业"),
    ),
    (
        "forestry",
        "X",
        "林业局",
        "Forestry",
        ("林木采伐", "林地占用", "野生动物", "木材运输", "林权登记"),
    ),
    (
        "commerce",
        "Y",
        "商务局",
        "Commerce",
        ("对外贸易", "成品油零售", "报废汽车", "单用途卡", "再生资源"),
    ),
    (
        "reform",
        "Z",
        "发展和改革局",
        "Development and Reform",
        ("项目核准", "项目备案", "节能审查", "价格认定", "粮食收购"),
    ),
    (
        "urban",
        "AA",
        "城市管理局",
        "Urban Management",
        ("户外广告", "占道经营", "渣土运输", "园林绿化", "燃气经营"),
    ),
)

ACTIONS: tuple[tuple[str, str], ...] = (
    ("申请", "application"),
    ("变更", "change"),
    ("注销", "cancellation"),
    ("延续", "renewal"),
    ("补办", "replacement"),
    ("查询", "enquiry"),
    ("备案", "filing"),
    ("证明开具", "certificate"),
    ("资格认定", "qualification"),
    ("待遇核定", "entitlement"),
    ("信息更正", "correction"),
    ("咨询", "advice"),
)

BIGGEST_DEPARTMENT = 84  # the first department's matters; the others share the rest
TOTAL_MATTERS = 1500
WIDE_CHAR = "\U00020000"  # 𠀀: one character, four bytes of UTF-8 (the widest a name can get)


def _widen(text: str, limit: int, fill: str) -> str:
    return (text + fill * limit)[:limit]


def county_catalog(widest: bool = False) -> Catalog:
    """25 departments x 60 matters; with `widest`, every name at its longest and widest."""
    categories = []
    services = []
    for code, prefix, name, name_en, topics in DEPARTMENTS:
        if widest:
            name = _widen(name, limits.MAX_CATEGORY_NAME, WIDE_CHAR)
            name_en = _widen(name_en, limits.MAX_CATEGORY_NAME_EN, WIDE_CHAR)
            code = _widen(code, 32, "x")
        categories.append(Category(code, prefix, name, name_en))
        count = (
            BIGGEST_DEPARTMENT
            if not categories[:-1]
            else (TOTAL_MATTERS - BIGGEST_DEPARTMENT) // (len(DEPARTMENTS) - 1)
        )
        for index in range(count):
            topic = topics[index % len(topics)]
            action, action_en = ACTIONS[index // len(topics)]
            matter = f"{topic}{action}"
            matter_en = f"{topic_en(topic).capitalize()} {action_en}"
            service_code = f"{code[:20]}_{index + 1:02d}"
            if widest:
                matter = _widen(matter, limits.MAX_SERVICE_NAME, WIDE_CHAR)
                matter_en = _widen(matter_en, limits.MAX_SERVICE_NAME_EN, WIDE_CHAR)
                service_code = _widen(service_code, 32, "y")
            pinyin = ""
            if widest:
                pinyin = _widen(pinyin_initials(matter), limits.MAX_PINYIN, "x")
            services.append(Service(service_code, matter, code, matter_en, pinyin=pinyin))
    return Catalog(tuple(categories), tuple(services))


TOPICS_EN = {
    "养老保险": "pension insurance", "失业保险": "unemployment insurance",
    "工伤保险": "work injury insurance", "就业登记": "employment registration",
    "职业技能": "vocational skills", "社会保障卡": "social security card",
    "劳动关系": "labour relations", "医保参保": "medical insurance enrolment",
    "异地就医": "medical care elsewhere", "门诊慢特病": "chronic disease outpatient care",
    "生育津贴": "maternity allowance", "医疗救助": "medical assistance",
    "婚姻登记": "marriage registration", "低保救助": "minimum living allowance",
    "社会组织": "social organisations", "养老服务": "elderly care services",
    "殡葬管理": "funeral services", "发票领用": "invoices", "纳税申报": "tax returns",
    "税务登记": "tax registration", "个税汇算": "income tax settlement",
    "社保费缴纳": "social insurance contributions", "房屋所有权": "house ownership",
    "抵押权": "mortgages", "预告登记": "advance registration", "查封登记": "seizure registration",
    "宅基地使用权": "homestead use rights", "建设用地": "construction land",
    "规划许可": "planning permits", "土地复垦": "land reclamation", "测绘成果": "survey results",
    "矿业权": "mining rights", "营业执照": "business licences", "食品经营": "food business",
    "特种设备": "special equipment", "药品零售": "pharmacies", "商标质押": "trademark pledges",
    "户口迁移": "household moves", "居民身份证": "identity cards", "居住证": "residence permits",
    "出入境证件": "travel documents", "机动车登记": "vehicle registration",
    "农机购置补贴": "farm machinery subsidies", "种子经营": "seed trade",
    "动物防疫": "animal epidemic prevention", "渔业捕捞": "fishing", "农药经营": "pesticide trade",
    "施工许可": "construction permits", "商品房预售": "off-plan sales",
    "建筑业资质": "builder qualifications", "房屋租赁": "housing leases",
    "公租房": "public rental housing", "道路运输经营": "road transport business",
    "出租汽车": "taxis", "从业资格": "transport qualifications", "超限运输": "oversize transport",
    "网约车": "ride hailing", "医疗机构执业": "medical institutions",
    "医师执业": "physician practice", "出生医学证明": "birth certificates",
    "公共场所卫生": "public place hygiene", "母婴保健": "maternal and infant care",
    "民办学校": "private schools", "教师资格": "teacher qualifications",
    "学籍管理": "student records", "校外培训": "tutoring institutions",
    "学生资助": "student aid", "优待证": "veteran preferential cards",
    "抚恤补助": "survivor benefits", "安置就业": "veteran placement",
    "光荣牌": "honour plaques", "优抚对象": "entitled groups",
    "残疾人证": "disability certificates", "康复救助": "rehabilitation aid",
    "辅助器具": "assistive devices", "两项补贴": "disability subsidies",
    "就业扶持": "employment support", "公积金缴存": "fund contributions",
    "公积金提取": "fund withdrawals", "公积金贷款": "fund loans",
    "账户转移": "account transfers", "缴存基数": "contribution base",
    "环评审批": "environmental assessments", "排污许可": "discharge permits",
    "危废转移": "hazardous waste transfers", "辐射安全": "radiation safety",
    "环境监测": "environmental monitoring", "取水许可": "water abstraction permits",
    "河道采砂": "river sand mining", "水土保持": "soil conservation",
    "洪水影响评价": "flood impact assessments", "水利工程": "water works",
    "娱乐场所": "entertainment venues", "网吧经营": "internet cafés",
    "旅行社": "travel agencies", "演出经营": "performances",
    "卫星接收": "satellite reception", "法律援助": "legal aid", "公证服务": "notarisation",
    "人民调解": "mediation", "律师执业": "lawyer practice",
    "基层法律服务": "grassroots legal services", "危化品经营": "hazardous chemicals trade",
    "烟花爆竹": "fireworks", "安全生产": "work safety", "应急预案": "emergency plans",
    "特种作业": "special operations", "林木采伐": "tree felling", "林地占用": "forest land use",
    "野生动物": "wildlife", "木材运输": "timber transport", "林权登记": "forest rights",
    "对外贸易": "foreign trade", "成品油零售": "fuel retail", "报废汽车": "scrapped vehicles",
    "单用途卡": "prepaid cards", "再生资源": "recycling", "项目核准": "project approval",
    "项目备案": "project filing", "节能审查": "energy reviews", "价格认定": "price assessment",
    "粮食收购": "grain purchase", "户外广告": "outdoor advertising",
    "占道经营": "street trading", "渣土运输": "muck transport", "园林绿化": "landscaping",
    "燃气经营": "gas supply",
}  # fmt: skip


def topic_en(topic: str) -> str:
    """A topic's English name (the catalog stays bilingual)."""
    return TOPICS_EN.get(topic, topic)


def county_csv(widest: bool = False) -> str:
    """The county catalog as a `queue-hall catalog import` CSV file."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    catalog = county_catalog(widest)
    for service in catalog.services:
        category = catalog.category(service.category)
        writer.writerow(
            {
                "category_code": category.code,
                "category_prefix": category.prefix,
                "category_name": category.name,
                "category_name_en": category.name_en,
                "service_code": service.code,
                "service_name": service.name,
                "service_name_en": service.name_en,
                "daily_limit": "",
                "pinyin": service.pinyin,
            }
        )
    return out.getvalue()


COUNTY_COUNTERS = 60  # `--catalog county`: a county hall's counters


def demo_config(catalog: str = "sample") -> HallConfig:
    """The demo hall: the sample town hall, or (`county`) 1,500 matters, 25 departments and
    60 counters."""
    config = default_config()
    if catalog == "county":
        config = dataclasses.replace(
            config,
            hall_name="青山县政务服务中心",
            catalog=county_catalog(),
            counters=tuple(
                CounterConfig(number, f"{number}号窗口") for number in range(1, COUNTY_COUNTERS + 1)
            ),
        )
    return config

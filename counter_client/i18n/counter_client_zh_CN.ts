<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CallDialog</name>
    <message>
        <location filename="../views/dialogs.py" line="126"/>
        <source>Call a chosen ticket</source>
        <translation>特呼</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="130"/>
        <source>Filter: ticket number, part of the matter&apos;s name or its pinyin initials</source>
        <translation>筛选：输入号码、事项名称或拼音首字母</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="137"/>
        <source>Ticket number, e.g. A007</source>
        <translation>号码，例如 A007</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="146"/>
        <source>{number} in hand will be finished first.</source>
        <translation>手上的 {number} 将先被办结。</translation>
    </message>
</context>
<context>
    <name>CounterTexts</name>
    <message>
        <location filename="../views/texts.py" line="33"/>
        <source>Call next</source>
        <translation>叫号</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="34"/>
        <source>Recall</source>
        <translation>重呼</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="35"/>
        <source>Start</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="36"/>
        <source>Finish</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="37"/>
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="38"/>
        <source>Transfer</source>
        <translation>转移</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="39"/>
        <source>Special call</source>
        <translation>特呼</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="40"/>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="40"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="41"/>
        <source>Reactivate</source>
        <translation>过号重排</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="47"/>
        <source>Called</source>
        <translation>已呼叫</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="48"/>
        <source>Serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="70"/>
        <source>Done.</source>
        <translation>已完成。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="70"/>
        <source>Not done.</source>
        <translation>未能完成。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="79"/>
        <source>Enter your clerk ID and PIN.</source>
        <translation>请输入工号和密码。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="80"/>
        <source>A new business day has begun: please log in again.</source>
        <translation>新的工作日已开始，请重新登录。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="83"/>
        <source>You have been logged out: the hall server closed this counter (a staff member works at one counter at a time; this staff ID may be logged in at another counter). Log in again to reopen it.</source>
        <translation>您已退出登录：服务器关闭了本窗口（一位工作人员同一时间只能在一个窗口服务，此工号可能已在其他窗口登录）。重新登录即可再次开放本窗口。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="88"/>
        <source>You have been logged out: the server refused your login.</source>
        <translation>您已被登出：服务器拒绝了您的登录。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="90"/>
        <location filename="../views/texts.py" line="212"/>
        <source>Not done: the connection to the hall server was lost.</source>
        <translation>操作未完成：与大厅服务器的连接已断开。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="91"/>
        <source>Nobody is waiting for this counter.</source>
        <translation>本窗口暂无等候的号码。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="93"/>
        <source>{done} finished. Nobody else is waiting for this counter.</source>
        <translation>{done} 已办结。本窗口暂无等候的群众。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="95"/>
        <source>{done} finished; now calling {number}.</source>
        <translation>{done} 已办结，正在呼叫 {number}。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="96"/>
        <source>{number} finished.</source>
        <translation>{number} 已办结。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="97"/>
        <source>{number} marked as a no-show.</source>
        <translation>{number} 已记为过号。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="98"/>
        <source>{number} is back in the queue.</source>
        <translation>{number} 已重新排队。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="99"/>
        <source>{number} has been transferred to {to}.</source>
        <translation>{number} 已转到 {to}。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="101"/>
        <source>{number} has been transferred to the queue of {to}.</source>
        <translation>{number} 已转到「{to}」的队列。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="103"/>
        <source>Enter a ticket number.</source>
        <translation>请输入票号。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="105"/>
        <source>{number} has not been started. Press {again} again to finish it and call the next, or {no_show} to mark it a no-show.</source>
        <translation>{number} 尚未开始办理 — 再按 {again} 办结并叫下一位，按 {no_show} 记为过号。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="115"/>
        <source>Too many wrong PINs: this clerk is locked out until {time} (the administrator can reset the PIN).</source>
        <translation>密码错误次数过多：该工作人员已被锁定至 {time}（管理员可重置密码）。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="119"/>
        <source>Too many wrong PINs: this clerk is locked out for 10 minutes (the administrator can reset the PIN).</source>
        <translation>密码错误次数过多，该工号已锁定 10 分钟（管理员可重置密码）。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="123"/>
        <source>This clerk ID is disabled.</source>
        <translation>该工号已停用。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="125"/>
        <source>Login refused: unknown clerk ID or wrong PIN.</source>
        <translation>登录被拒绝：工号不存在或密码错误。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="127"/>
        <source>Login failed: no connection to the hall server.</source>
        <translation>登录失败：未连接到大厅服务器。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="129"/>
        <source>This clerk is logged in at another counter: log out there first.</source>
        <translation>该工作人员已在其他窗口登录：请先在那里退出。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="135"/>
        <source>The hall server refused this counter: the hall key is wrong or missing (give the hall file with --config HALL.toml, or set QUEUE_HALL_KEY).</source>
        <translation>大厅服务器拒绝了本窗口：大厅密钥错误或未设置（请用 --config HALL.toml 指定大厅文件，或设置 QUEUE_HALL_KEY）。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="139"/>
        <source>The hall server speaks another protocol version: update this program.</source>
        <translation>大厅服务器的协议版本不同：请更新本程序。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="141"/>
        <source>Counter {n} does not exist in this hall.</source>
        <translation>本大厅没有{n}号窗口。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="142"/>
        <source>The hall server refused this counter.</source>
        <translation>大厅服务器拒绝了本窗口的连接。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="150"/>
        <source>The hall server refused this action.</source>
        <translation>大厅服务器拒绝了此操作。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="158"/>
        <source>Too soon after the last call: wait a few seconds.</source>
        <translation>距上次叫号太近：请稍等几秒再叫。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="160"/>
        <location filename="../views/texts.py" line="182"/>
        <source>There is no ticket {ticket} today.</source>
        <translation>今天没有 {ticket} 这个号。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="162"/>
        <source>{ticket} cannot be called here: it is not waiting, or it is kept for another counter.</source>
        <translation>{ticket} 不能在本窗口呼叫：它不在等候中，或已留给其他窗口。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="166"/>
        <location filename="../views/texts.py" line="185"/>
        <source>{ticket} is not a ticket number: a letter and digits, e.g. A007.</source>
        <translation>{ticket} 不是有效的号码：应为字母加数字，例如 A007。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="168"/>
        <source>The counter is paused: resume it before calling.</source>
        <translation>本窗口已暂停：请先恢复服务再叫号。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="170"/>
        <source>Only a called ticket can be called again: this one was already started or closed.</source>
        <translation>只有已呼叫的号才能重呼：该号已开始办理或已结束。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="172"/>
        <source>This ticket was already started or closed.</source>
        <translation>该号已开始办理或已结束。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="173"/>
        <source>This ticket was already closed.</source>
        <translation>该号已结束。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="175"/>
        <source>Only a called ticket that was not started can be marked a no-show.</source>
        <translation>只有已呼叫、尚未开始办理的号才能记为过号。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="177"/>
        <source>That service or counter no longer exists.</source>
        <translation>该事项或窗口已不存在。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="179"/>
        <source>Not transferred: the ticket is no longer at this counter, or the target is this counter.</source>
        <translation>未转移：该号已不在本窗口，或目标就是本窗口。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="183"/>
        <source>{ticket} is not one of today&apos;s no-shows.</source>
        <translation>{ticket} 不是今天的过号。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="187"/>
        <source>Finish or transfer the ticket in hand before pausing.</source>
        <translation>请先办结或转移手上的号，再暂停。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="188"/>
        <source>The counter is not paused.</source>
        <translation>本窗口没有暂停。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="190"/>
        <source>Refused: another clerk has logged in at this counter, or you were logged out. Log in again.</source>
        <translation>被拒绝：其他工作人员已在本窗口登录，或您已被退出。请重新登录。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="194"/>
        <source>Refused: the hall server does not know this counter any more. Restart the program.</source>
        <translation>被拒绝：大厅服务器已不认识本窗口。请重新启动本程序。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="197"/>
        <source>Not done: the hall server cannot save right now (disk full or read-only). Try again shortly.</source>
        <translation>未完成：大厅服务器暂时无法保存（磁盘已满或只读）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="200"/>
        <source>Not done: the hall server had an error. Try again.</source>
        <translation>未完成：大厅服务器出错。请再试一次。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="201"/>
        <source>Not done: the hall server does not know this ticket.</source>
        <translation>未完成：大厅服务器找不到该号。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="203"/>
        <source>Not done: the ticket or counter has changed meanwhile (another counter or the administrator). The window shows the current state.</source>
        <translation>未完成：该号或窗口刚被更改（其他窗口或管理员）。窗口已显示最新状态。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="207"/>
        <source>Not done: the hall server did not understand the request. Update this program.</source>
        <translation>未完成：大厅服务器无法识别该请求。请更新本程序。</translation>
    </message>
    <message>
        <location filename="../views/texts.py" line="210"/>
        <source>Not done: the hall server is older than this program and lacks this action.</source>
        <translation>未完成：大厅服务器版本较旧，不支持此操作。</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../views/window.py" line="105"/>
        <source>Hall</source>
        <translation>服务大厅</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="107"/>
        <source>{counter} · {hall}</source>
        <translation>{counter} · {hall}</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="108"/>
        <source>Counter {n}</source>
        <translation>{n}号窗口</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="116"/>
        <source>Counter {n} does not exist in this hall.</source>
        <translation>本大厅没有{n}号窗口。</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="122"/>
        <source>Cannot reach the hall server at {server}: check the address, the network and the server&apos;s firewall (port {port}). Trying again…</source>
        <translation>无法连接大厅服务器 {server}：请检查地址、网络和服务器防火墙（端口 {port}）。正在重试…</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="126"/>
        <source>Connecting to the hall server…</source>
        <translation>正在连接大厅服务器…</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="128"/>
        <source>Connection to the hall server lost: reconnecting…</source>
        <translation>与大厅服务器的连接已断开，正在重连…</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="145"/>
        <source>paper running low</source>
        <translation>纸卷将尽</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="146"/>
        <source>out of paper: replace the roll</source>
        <translation>缺纸，请更换纸卷</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="147"/>
        <source>printer offline: check its cable and power</source>
        <translation>打印机离线，请检查连线和电源</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="148"/>
        <source>printer fault: check the printer</source>
        <translation>打印机故障，请检查打印机</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="151"/>
        <source>Kiosk {name}: {problem}</source>
        <translation>取号机「{name}」：{problem}</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="153"/>
        <source>printer fault</source>
        <translation>打印机故障</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="180"/>
        <source>Lunch break</source>
        <translation>午休</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="180"/>
        <source>Meeting</source>
        <translation>开会</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="180"/>
        <source>Away for a moment</source>
        <translation>临时离开</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="181"/>
        <source>Pause the counter</source>
        <translation>暂停窗口</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="181"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../views/login_page.py" line="63"/>
        <source>Counter login</source>
        <translation>窗口登录</translation>
    </message>
    <message>
        <location filename="../views/login_page.py" line="64"/>
        <source>Clerk ID</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../views/login_page.py" line="65"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../views/login_page.py" line="66"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../views/login_page.py" line="73"/>
        <source>Counter {n}</source>
        <translation>{n}号窗口</translation>
    </message>
</context>
<context>
    <name>NoShowDialog</name>
    <message>
        <location filename="../views/dialogs.py" line="181"/>
        <source>Reactivate a no-show</source>
        <translation>过号重排</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="182"/>
        <source>Today&apos;s no-shows, the latest first:</source>
        <translation>今天的过号（最近的在前）：</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="186"/>
        <source>Ticket number, e.g. A007</source>
        <translation>号码，例如 A007</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="203"/>
        <source>{number}  called {time}  {service}</source>
        <translation>{number}  {time} 呼叫  {service}</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="217"/>
        <source>No no-shows today.</source>
        <translation>今天还没有过号。</translation>
    </message>
</context>
<context>
    <name>RatingWindow</name>
    <message>
        <location filename="../views/rating.py" line="184"/>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="185"/>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="186"/>
        <source>Basically satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="187"/>
        <source>Unsatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="192"/>
        <source>Service rating</source>
        <translation>服务评价</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="193"/>
        <source>Please rate our service</source>
        <translation>请您对本次服务进行评价</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="194"/>
        <source>Ticket {number}</source>
        <translation>{number} 号</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="195"/>
        <source>Served by {name}</source>
        <translation>办理人员：{name}</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="207"/>
        <source>Sending…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="208"/>
        <source>Thank you for your rating!</source>
        <translation>感谢您的评价！</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="209"/>
        <source>This ticket has already been rated. Thank you!</source>
        <translation>该号已经评价过，不能重复评价。谢谢！</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="210"/>
        <source>The rating could not be sent. Please touch again.</source>
        <translation>评价未能提交，请再点一次。</translation>
    </message>
    <message>
        <location filename="../views/rating.py" line="228"/>
        <source>This window closes in {n} s</source>
        <translation>{n} 秒后自动关闭</translation>
    </message>
</context>
<context>
    <name>ServingPage</name>
    <message>
        <location filename="../views/serving_page.py" line="120"/>
        <source>Clerk: {name} ({id})</source>
        <translation>工作人员：{name}（{id}）</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="122"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="127"/>
        <source>Paused: {reason}</source>
        <translation>暂停中：{reason}</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="127"/>
        <source>Paused</source>
        <translation>暂停中</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="130"/>
        <source>Open</source>
        <translation>服务中</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="136"/>
        <source>Warning: repeated wrong PINs for clerk {clerk} from {source}; that PC is locked out for this clerk until {until}.</source>
        <translation>警告：工号 {clerk} 在 {source} 多次输错密码，该电脑上此工号已锁定至 {until}。</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="152"/>
        <source>{service} (priority)</source>
        <translation>{service}（优先）</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="160"/>
        <source>Waited under a minute</source>
        <translation>已等候不到 1 分钟</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="162"/>
        <source>Waited {minutes} min</source>
        <translation>已等候 {minutes} 分钟</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="165"/>
        <source>called {n} times</source>
        <translation>第 {n} 次呼叫</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="169"/>
        <source>No ticket</source>
        <translation>无号</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="171"/>
        <source>Press {key} to call the next ticket.</source>
        <translation>按 {key} 叫下一个号。</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="192"/>
        <source>Waiting for this counter: {n}</source>
        <translation>本窗口等候：{n} 人</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="203"/>
        <source>Today: served {served} · no-shows {no_shows} · mean service {mean}</source>
        <translation>今日：办结 {served} · 过号 {no_shows} · 平均办理 {mean}</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="207"/>
        <source>Finished without start {without_start} · short services {short} ({share}) · calls per served {calls} · recalls {recalls}</source>
        <translation>未按开始办结 {without_start} · 短时办结 {short}（{share}）· 每办结叫号 {calls} · 重呼 {recalls}</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="217"/>
        <source>Logged in {logged_in} (paused {paused}) · satisfaction {score} from {rated} ratings</source>
        <translation>在岗 {logged_in}（暂停 {paused}）· 满意度 {score}（{rated} 条评价）</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="230"/>
        <source>As in the monthly report. Short service: under {short} s. Finished without start: finished (or ended by the next call) without pressing start. Calls per served: calls (not recalls) ÷ served. Logged in: since login, pauses included.</source>
        <translation>与每月考核报表的定义相同。短时办结：办理时长短于 {short} 秒。未按开始办结：叫号后未按“开始”就办结（或被下一次叫号自动办结）。每办结叫号：叫号次数（不含重呼）÷ 办结件数。在岗：自登录起，含暂停。</translation>
    </message>
    <message>
        <location filename="../views/serving_page.py" line="243"/>
        <source>{action} ({seconds} s)</source>
        <translation>{action}（{seconds} 秒）</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../views/dialogs.py" line="37"/>
        <source>Transfer ticket</source>
        <translation>转移号码</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="38"/>
        <source>To a service</source>
        <translation>转到事项</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="39"/>
        <source>To a counter</source>
        <translation>转到窗口</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="49"/>
        <source>Find a matter: part of its name or pinyin initials, e.g. shbzk</source>
        <translation>查找事项：输入名称或拼音首字母，如 shbzk</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="70"/>
        <source>(closed)</source>
        <translation>（未开放）</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="72"/>
        <source>(paused)</source>
        <translation>（暂停服务）</translation>
    </message>
    <message>
        <location filename="../views/dialogs.py" line="108"/>
        <source>{counter} is not open: the ticket will only be called once a clerk logs in there.</source>
        <translation>{counter} 未开放：转过去的号要等有工作人员在该窗口登录后才会被叫到。</translation>
    </message>
</context>
<context>
    <name>WaitingList</name>
    <message>
        <location filename="../views/queue_list.py" line="39"/>
        <source>&lt;1 min</source>
        <translation>&lt;1 分钟</translation>
    </message>
    <message>
        <location filename="../views/queue_list.py" line="41"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../views/queue_list.py" line="46"/>
        <source>(priority)</source>
        <translation>（优先）</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CallDialog</name>
    <message>
        <location filename="../window.py" line="207"/>
        <source>Call a chosen ticket</source>
        <translation>特呼</translation>
    </message>
    <message>
        <location filename="../window.py" line="211"/>
        <source>Filter: ticket number, part of the matter&apos;s name or its pinyin initials</source>
        <translation>筛选：输入号码、事项名称或拼音首字母</translation>
    </message>
    <message>
        <location filename="../window.py" line="218"/>
        <source>Ticket number, e.g. A007</source>
        <translation>票号，如 A007</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../window.py" line="406"/>
        <source>Call next</source>
        <translation>叫号</translation>
    </message>
    <message>
        <location filename="../window.py" line="407"/>
        <source>Recall</source>
        <translation>重呼</translation>
    </message>
    <message>
        <location filename="../window.py" line="408"/>
        <source>Start</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <location filename="../window.py" line="409"/>
        <source>Finish</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../window.py" line="410"/>
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <location filename="../window.py" line="411"/>
        <source>Transfer</source>
        <translation>转移</translation>
    </message>
    <message>
        <location filename="../window.py" line="412"/>
        <source>Special call</source>
        <translation>特呼</translation>
    </message>
    <message>
        <location filename="../window.py" line="413"/>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../window.py" line="413"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../window.py" line="414"/>
        <source>Reactivate</source>
        <translation>过号重排</translation>
    </message>
    <message>
        <location filename="../window.py" line="420"/>
        <source>Called</source>
        <translation>已呼叫</translation>
    </message>
    <message>
        <location filename="../window.py" line="421"/>
        <source>Serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../window.py" line="427"/>
        <source>Enter your clerk ID and PIN.</source>
        <translation>请输入工号和密码。</translation>
    </message>
    <message>
        <location filename="../window.py" line="429"/>
        <source>Too many wrong PINs: this clerk is locked out for 10 minutes (the administrator can reset the PIN).</source>
        <translation>密码错误次数过多，该工号已锁定 10 分钟（管理员可重置密码）。</translation>
    </message>
    <message>
        <location filename="../window.py" line="433"/>
        <source>This clerk ID is disabled.</source>
        <translation>该工号已停用。</translation>
    </message>
    <message>
        <location filename="../window.py" line="435"/>
        <source>Login refused: unknown clerk ID or wrong PIN.</source>
        <translation>登录被拒绝：工号不存在或密码错误。</translation>
    </message>
    <message>
        <location filename="../window.py" line="437"/>
        <source>Login failed: no connection to the hall server.</source>
        <translation>登录失败：未连接到大厅服务器。</translation>
    </message>
    <message>
        <location filename="../window.py" line="439"/>
        <source>Login failed.</source>
        <translation>登录失败。</translation>
    </message>
    <message>
        <location filename="../window.py" line="440"/>
        <source>A new business day has begun: please log in again.</source>
        <translation>新的工作日已开始，请重新登录。</translation>
    </message>
    <message>
        <location filename="../window.py" line="442"/>
        <source>You have been logged out: the server refused your login.</source>
        <translation>您已被登出：服务器拒绝了您的登录。</translation>
    </message>
    <message>
        <location filename="../window.py" line="443"/>
        <source>The hall server refused this counter.</source>
        <translation>大厅服务器拒绝了本窗口的连接。</translation>
    </message>
    <message>
        <location filename="../window.py" line="444"/>
        <source>Not done: the connection to the hall server was lost.</source>
        <translation>操作未完成：与大厅服务器的连接已断开。</translation>
    </message>
    <message>
        <location filename="../window.py" line="445"/>
        <source>Too soon after the last call: wait a few seconds.</source>
        <translation>距上次叫号太近：请稍等几秒再叫。</translation>
    </message>
    <message>
        <location filename="../window.py" line="447"/>
        <source>The server refused this action.</source>
        <translation>服务器拒绝了此操作。</translation>
    </message>
    <message>
        <location filename="../window.py" line="448"/>
        <source>Nobody is waiting for this counter.</source>
        <translation>本窗口暂无等候的号码。</translation>
    </message>
    <message>
        <location filename="../window.py" line="449"/>
        <source>{number} is back in the queue.</source>
        <translation>{number} 已重新排队。</translation>
    </message>
    <message>
        <location filename="../window.py" line="450"/>
        <source>{number} has been transferred.</source>
        <translation>{number} 已转移。</translation>
    </message>
    <message>
        <location filename="../window.py" line="451"/>
        <source>Enter a ticket number.</source>
        <translation>请输入票号。</translation>
    </message>
    <message>
        <location filename="../window.py" line="465"/>
        <source>Hall</source>
        <translation>服务大厅</translation>
    </message>
    <message>
        <location filename="../window.py" line="467"/>
        <source>{counter} · {hall}</source>
        <translation>{counter} · {hall}</translation>
    </message>
    <message>
        <location filename="../window.py" line="468"/>
        <location filename="../window.py" line="504"/>
        <source>Counter {n}</source>
        <translation>{n}号窗口</translation>
    </message>
    <message>
        <location filename="../window.py" line="476"/>
        <source>Counter {n} does not exist in this hall.</source>
        <translation>本大厅没有{n}号窗口。</translation>
    </message>
    <message>
        <location filename="../window.py" line="481"/>
        <source>Cannot reach the hall server at {server}: check the address, the network and the server&apos;s firewall (port {port}). Trying again…</source>
        <translation>无法连接大厅服务器 {server}：请检查地址、网络和服务器防火墙（端口 {port}）。正在重试…</translation>
    </message>
    <message>
        <location filename="../window.py" line="488"/>
        <source>Connecting to the hall server…</source>
        <translation>正在连接大厅服务器…</translation>
    </message>
    <message>
        <location filename="../window.py" line="490"/>
        <source>Connection to the hall server lost: reconnecting…</source>
        <translation>与大厅服务器的连接已断开，正在重连…</translation>
    </message>
    <message>
        <location filename="../window.py" line="526"/>
        <source>Clerk: {name} ({id})</source>
        <translation>工作人员：{name}（{id}）</translation>
    </message>
    <message>
        <location filename="../window.py" line="528"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../window.py" line="533"/>
        <source>Paused: {reason}</source>
        <translation>暂停中：{reason}</translation>
    </message>
    <message>
        <location filename="../window.py" line="533"/>
        <source>Paused</source>
        <translation>暂停中</translation>
    </message>
    <message>
        <location filename="../window.py" line="536"/>
        <source>Open</source>
        <translation>服务中</translation>
    </message>
    <message>
        <location filename="../window.py" line="544"/>
        <source>{service} (priority)</source>
        <translation>{service}（优先）</translation>
    </message>
    <message>
        <location filename="../window.py" line="550"/>
        <source>No ticket</source>
        <translation>无号</translation>
    </message>
    <message>
        <location filename="../window.py" line="552"/>
        <source>Press {key} to call the next ticket.</source>
        <translation>按 {key} 叫下一个号。</translation>
    </message>
    <message>
        <location filename="../window.py" line="568"/>
        <source>Waiting for this counter: {n}</source>
        <translation>本窗口等候：{n} 人</translation>
    </message>
    <message>
        <location filename="../window.py" line="579"/>
        <source>Today: served {served} · no-shows {no_shows} · mean service {mean}</source>
        <translation>今日：办结 {served} · 过号 {no_shows} · 平均办理 {mean}</translation>
    </message>
    <message>
        <location filename="../window.py" line="583"/>
        <source>Finished without start {without_start} · short services {short} ({share}) · calls per served {calls} · recalls {recalls}</source>
        <translation>未按开始办结 {without_start} · 短时办结 {short}（{share}）· 每办结叫号 {calls} · 重呼 {recalls}</translation>
    </message>
    <message>
        <location filename="../window.py" line="593"/>
        <source>Logged in {logged_in} (paused {paused}) · satisfaction {score} from {rated} ratings</source>
        <translation>在岗 {logged_in}（暂停 {paused}）· 满意度 {score}（{rated} 条评价）</translation>
    </message>
    <message>
        <location filename="../window.py" line="606"/>
        <source>As in the monthly report. Short service: under {short} s. Finished without start: finished (or ended by the next call) without pressing start. Calls per served: calls (not recalls) ÷ served. Logged in: since login, pauses included.</source>
        <translation>与每月考核报表的定义相同。短时办结：办理时长短于 {short} 秒。未按开始办结：叫号后未按“开始”就办结（或被下一次叫号自动办结）。每办结叫号：叫号次数（不含重呼）÷ 办结件数。在岗：自登录起，含暂停。</translation>
    </message>
    <message>
        <location filename="../window.py" line="619"/>
        <source>{action} ({seconds} s)</source>
        <translation>{action}（{seconds} 秒）</translation>
    </message>
    <message>
        <location filename="../window.py" line="631"/>
        <source>(priority)</source>
        <translation>（优先）</translation>
    </message>
    <message>
        <location filename="../window.py" line="671"/>
        <source>Lunch break</source>
        <translation>午休</translation>
    </message>
    <message>
        <location filename="../window.py" line="671"/>
        <source>Meeting</source>
        <translation>开会</translation>
    </message>
    <message>
        <location filename="../window.py" line="671"/>
        <source>Away for a moment</source>
        <translation>临时离开</translation>
    </message>
    <message>
        <location filename="../window.py" line="672"/>
        <source>Pause the counter</source>
        <translation>暂停窗口</translation>
    </message>
    <message>
        <location filename="../window.py" line="672"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../window.py" line="676"/>
        <source>Reactivate a no-show</source>
        <translation>过号重排</translation>
    </message>
    <message>
        <location filename="../window.py" line="677"/>
        <source>Ticket number, e.g. A007</source>
        <translation>票号，如 A007</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../window.py" line="119"/>
        <source>Counter login</source>
        <translation>窗口登录</translation>
    </message>
    <message>
        <location filename="../window.py" line="120"/>
        <source>Clerk ID</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../window.py" line="121"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../window.py" line="122"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>RatingWindow</name>
    <message>
        <location filename="../rating.py" line="178"/>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <location filename="../rating.py" line="179"/>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <location filename="../rating.py" line="180"/>
        <source>Basically satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <location filename="../rating.py" line="181"/>
        <source>Unsatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <location filename="../rating.py" line="186"/>
        <source>Service rating</source>
        <translation>服务评价</translation>
    </message>
    <message>
        <location filename="../rating.py" line="187"/>
        <source>Please rate our service</source>
        <translation>请您对本次服务进行评价</translation>
    </message>
    <message>
        <location filename="../rating.py" line="188"/>
        <source>Ticket {number}</source>
        <translation>{number} 号</translation>
    </message>
    <message>
        <location filename="../rating.py" line="189"/>
        <source>Served by {name}</source>
        <translation>办理人员：{name}</translation>
    </message>
    <message>
        <location filename="../rating.py" line="201"/>
        <source>Sending…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <location filename="../rating.py" line="202"/>
        <source>Thank you for your rating!</source>
        <translation>感谢您的评价！</translation>
    </message>
    <message>
        <location filename="../rating.py" line="203"/>
        <source>This ticket has already been rated. Thank you!</source>
        <translation>该号已经评价过，不能重复评价。谢谢！</translation>
    </message>
    <message>
        <location filename="../rating.py" line="204"/>
        <source>The rating could not be sent. Please touch again.</source>
        <translation>评价未能提交，请再点一次。</translation>
    </message>
    <message>
        <location filename="../rating.py" line="222"/>
        <source>This window closes in {n} s</source>
        <translation>{n} 秒后自动关闭</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../window.py" line="133"/>
        <source>Transfer ticket</source>
        <translation>转移号码</translation>
    </message>
    <message>
        <location filename="../window.py" line="134"/>
        <source>To a service</source>
        <translation>转到事项</translation>
    </message>
    <message>
        <location filename="../window.py" line="135"/>
        <source>To a counter</source>
        <translation>转到窗口</translation>
    </message>
    <message>
        <location filename="../window.py" line="145"/>
        <source>Find a matter: part of its name or pinyin initials, e.g. shbzk</source>
        <translation>查找事项：输入名称或拼音首字母，如 shbzk</translation>
    </message>
    <message>
        <location filename="../window.py" line="163"/>
        <source>(closed)</source>
        <translation>（未开放）</translation>
    </message>
</context>
</TS>

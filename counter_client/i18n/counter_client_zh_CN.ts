<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CallDialog</name>
    <message>
        <location filename="../window.py" line="189"/>
        <source>Call a chosen ticket</source>
        <translation>特呼</translation>
    </message>
    <message>
        <location filename="../window.py" line="196"/>
        <source>Ticket number, e.g. A007</source>
        <translation>票号，如 A007</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../window.py" line="370"/>
        <source>Call next</source>
        <translation>叫号</translation>
    </message>
    <message>
        <location filename="../window.py" line="371"/>
        <source>Recall</source>
        <translation>重呼</translation>
    </message>
    <message>
        <location filename="../window.py" line="372"/>
        <source>Start</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <location filename="../window.py" line="373"/>
        <source>Finish</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../window.py" line="374"/>
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <location filename="../window.py" line="375"/>
        <source>Transfer</source>
        <translation>转移</translation>
    </message>
    <message>
        <location filename="../window.py" line="376"/>
        <source>Special call</source>
        <translation>特呼</translation>
    </message>
    <message>
        <location filename="../window.py" line="377"/>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../window.py" line="377"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../window.py" line="378"/>
        <source>Reactivate</source>
        <translation>过号重排</translation>
    </message>
    <message>
        <location filename="../window.py" line="384"/>
        <source>Called</source>
        <translation>已呼叫</translation>
    </message>
    <message>
        <location filename="../window.py" line="385"/>
        <source>Serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../window.py" line="391"/>
        <source>Enter your clerk ID and PIN.</source>
        <translation>请输入工号和密码。</translation>
    </message>
    <message>
        <location filename="../window.py" line="393"/>
        <source>Too many wrong PINs: this clerk is locked out for 10 minutes (the administrator can reset the PIN).</source>
        <translation>密码错误次数过多，该工号已锁定 10 分钟（管理员可重置密码）。</translation>
    </message>
    <message>
        <location filename="../window.py" line="397"/>
        <source>This clerk ID is disabled.</source>
        <translation>该工号已停用。</translation>
    </message>
    <message>
        <location filename="../window.py" line="399"/>
        <source>Login refused: unknown clerk ID or wrong PIN.</source>
        <translation>登录被拒绝：工号不存在或密码错误。</translation>
    </message>
    <message>
        <location filename="../window.py" line="401"/>
        <source>Login failed: no connection to the hall server.</source>
        <translation>登录失败：未连接到大厅服务器。</translation>
    </message>
    <message>
        <location filename="../window.py" line="403"/>
        <source>Login failed.</source>
        <translation>登录失败。</translation>
    </message>
    <message>
        <location filename="../window.py" line="404"/>
        <source>A new business day has begun: please log in again.</source>
        <translation>新的工作日已开始，请重新登录。</translation>
    </message>
    <message>
        <location filename="../window.py" line="406"/>
        <source>You have been logged out: the server refused your login.</source>
        <translation>您已被登出：服务器拒绝了您的登录。</translation>
    </message>
    <message>
        <location filename="../window.py" line="407"/>
        <source>The hall server refused this counter.</source>
        <translation>大厅服务器拒绝了本窗口的连接。</translation>
    </message>
    <message>
        <location filename="../window.py" line="408"/>
        <source>Not done: the connection to the hall server was lost.</source>
        <translation>操作未完成：与大厅服务器的连接已断开。</translation>
    </message>
    <message>
        <location filename="../window.py" line="409"/>
        <source>The server refused this action.</source>
        <translation>服务器拒绝了此操作。</translation>
    </message>
    <message>
        <location filename="../window.py" line="410"/>
        <source>Nobody is waiting for this counter.</source>
        <translation>本窗口暂无等候的号码。</translation>
    </message>
    <message>
        <location filename="../window.py" line="411"/>
        <source>{number} is back in the queue.</source>
        <translation>{number} 已重新排队。</translation>
    </message>
    <message>
        <location filename="../window.py" line="412"/>
        <source>{number} has been transferred.</source>
        <translation>{number} 已转移。</translation>
    </message>
    <message>
        <location filename="../window.py" line="413"/>
        <source>Enter a ticket number.</source>
        <translation>请输入票号。</translation>
    </message>
    <message>
        <location filename="../window.py" line="427"/>
        <source>Hall</source>
        <translation>服务大厅</translation>
    </message>
    <message>
        <location filename="../window.py" line="429"/>
        <source>{counter} · {hall}</source>
        <translation>{counter} · {hall}</translation>
    </message>
    <message>
        <location filename="../window.py" line="430"/>
        <location filename="../window.py" line="466"/>
        <source>Counter {n}</source>
        <translation>{n}号窗口</translation>
    </message>
    <message>
        <location filename="../window.py" line="438"/>
        <source>Counter {n} does not exist in this hall.</source>
        <translation>本大厅没有{n}号窗口。</translation>
    </message>
    <message>
        <location filename="../window.py" line="443"/>
        <source>Cannot reach the hall server at {server}: check the address, the network and the server&apos;s firewall (port {port}). Trying again…</source>
        <translation>无法连接大厅服务器 {server}：请检查地址、网络和服务器防火墙（端口 {port}）。正在重试…</translation>
    </message>
    <message>
        <location filename="../window.py" line="450"/>
        <source>Connecting to the hall server…</source>
        <translation>正在连接大厅服务器…</translation>
    </message>
    <message>
        <location filename="../window.py" line="452"/>
        <source>Connection to the hall server lost: reconnecting…</source>
        <translation>与大厅服务器的连接已断开，正在重连…</translation>
    </message>
    <message>
        <location filename="../window.py" line="488"/>
        <source>Clerk: {name} ({id})</source>
        <translation>工作人员：{name}（{id}）</translation>
    </message>
    <message>
        <location filename="../window.py" line="490"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../window.py" line="495"/>
        <source>Paused: {reason}</source>
        <translation>暂停中：{reason}</translation>
    </message>
    <message>
        <location filename="../window.py" line="495"/>
        <source>Paused</source>
        <translation>暂停中</translation>
    </message>
    <message>
        <location filename="../window.py" line="498"/>
        <source>Open</source>
        <translation>服务中</translation>
    </message>
    <message>
        <location filename="../window.py" line="504"/>
        <source>Warning: repeated wrong PINs for clerk {clerk} from {source}; that PC is locked out for this clerk until {until}.</source>
        <translation>警告：工号 {clerk} 在 {source} 多次输错密码，该电脑上此工号已锁定至 {until}。</translation>
    </message>
    <message>
        <location filename="../window.py" line="520"/>
        <source>{service} (priority)</source>
        <translation>{service}（优先）</translation>
    </message>
    <message>
        <location filename="../window.py" line="526"/>
        <source>No ticket</source>
        <translation>无号</translation>
    </message>
    <message>
        <location filename="../window.py" line="528"/>
        <source>Press {key} to call the next ticket.</source>
        <translation>按 {key} 叫下一个号。</translation>
    </message>
    <message>
        <location filename="../window.py" line="546"/>
        <source>Waiting for this counter: {n}</source>
        <translation>本窗口等候：{n} 人</translation>
    </message>
    <message>
        <location filename="../window.py" line="551"/>
        <source>Today: served {served} · no-shows {no_shows} · mean service {mean}</source>
        <translation>今日：办结 {served} · 过号 {no_shows} · 平均办理 {mean}</translation>
    </message>
    <message>
        <location filename="../window.py" line="565"/>
        <source>(priority)</source>
        <translation>（优先）</translation>
    </message>
    <message>
        <location filename="../window.py" line="602"/>
        <source>Lunch break</source>
        <translation>午休</translation>
    </message>
    <message>
        <location filename="../window.py" line="602"/>
        <source>Meeting</source>
        <translation>开会</translation>
    </message>
    <message>
        <location filename="../window.py" line="602"/>
        <source>Away for a moment</source>
        <translation>临时离开</translation>
    </message>
    <message>
        <location filename="../window.py" line="603"/>
        <source>Pause the counter</source>
        <translation>暂停窗口</translation>
    </message>
    <message>
        <location filename="../window.py" line="603"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../window.py" line="607"/>
        <source>Reactivate a no-show</source>
        <translation>过号重排</translation>
    </message>
    <message>
        <location filename="../window.py" line="608"/>
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
        <location filename="../window.py" line="156"/>
        <source>(closed)</source>
        <translation>（未开放）</translation>
    </message>
</context>
</TS>

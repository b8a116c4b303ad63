<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConfirmationPage</name>
    <message>
        <location filename="../views/ticket.py" line="39"/>
        <source>Your number</source>
        <translation>您的号码</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="41"/>
        <source>Priority lane</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="55"/>
        <source>Valid today only</source>
        <translation>当日有效</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="57"/>
        <source>Please take your ticket</source>
        <translation>请取走您的号票</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="76"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="106"/>
        <source>Back to the start in {seconds} s</source>
        <translation>{seconds} 秒后自动返回首页</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="121"/>
        <source>No one ahead of you</source>
        <translation>前面没有人等候</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="123"/>
        <source>People ahead of you: {count}</source>
        <translation>前面还有 {count} 人</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="125"/>
        <source>Please watch for calls at counters {counters}</source>
        <translation>请留意 {counters} 号窗口叫号</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="133"/>
        <source>You will be called shortly</source>
        <translation>即将为您叫号</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="136"/>
        <source>Estimated wait: about {minutes} min</source>
        <translation>预计等候约 {minutes} 分钟</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../views/window.py" line="29"/>
        <source>Take a ticket</source>
        <translation>自助取号</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="90"/>
        <source>The queue server refused this kiosk: its hall key is wrong or missing. No tickets are issued. Please tell the staff.</source>
        <translation>取号服务器拒绝了本取号机（大厅密钥错误或未设置），暂停取号，请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="95"/>
        <source>The queue server refused this kiosk: no tickets are issued. Please tell the staff.</source>
        <translation>取号服务器拒绝了本取号机，暂停取号，请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="99"/>
        <source>Cannot reach the queue server: no tickets are issued. Reconnecting…</source>
        <translation>无法连接取号服务器，暂停取号，正在自动重新连接…</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="102"/>
        <source>The printer is out of paper. Please ask the staff.</source>
        <translation>打印机缺纸，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="104"/>
        <source>The printer is offline. Please ask the staff.</source>
        <translation>打印机离线，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="106"/>
        <source>The printer has a fault. Please ask the staff.</source>
        <translation>打印机故障，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="108"/>
        <source>Tickets are not issued at this time.</source>
        <translation>当前不在取号时间</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="110"/>
        <source>Priority lane: the next ticket is a priority ticket.</source>
        <translation>绿色通道已开启：下一张为优先号</translation>
    </message>
    <message>
        <location filename="../views/window.py" line="147"/>
        <source>yyyy-MM-dd dddd HH:mm</source>
        <translation>yyyy年M月d日 dddd HH:mm</translation>
    </message>
</context>
<context>
    <name>MattersPage</name>
    <message>
        <location filename="../views/matters.py" line="42"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="54"/>
        <source>Search: type pinyin initials, e.g. shbzk</source>
        <translation>搜索：输入拼音首字母，如 shbzk（社会保障卡）</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="72"/>
        <source>Delete</source>
        <translation>退格</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="76"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="85"/>
        <source>No matter matches your search.</source>
        <translation>没有找到相符的事项</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="100"/>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="100"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="126"/>
        <location filename="../views/matters.py" line="130"/>
        <source>Not issuing now</source>
        <translation>暂停取号</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="128"/>
        <source>Full for today</source>
        <translation>今日号已取完</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="131"/>
        <source>Waiting: {count}</source>
        <translation>等候 {count} 人</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="136"/>
        <source>All matters</source>
        <translation>全部事项</translation>
    </message>
    <message>
        <location filename="../views/matters.py" line="173"/>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} / {pages} 页</translation>
    </message>
</context>
<context>
    <name>NoticePage</name>
    <message>
        <location filename="../views/ticket.py" line="185"/>
        <source>Back to start</source>
        <translation>返回首页</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="192"/>
        <source>The printer is out of paper. Please ask the staff.</source>
        <translation>打印机缺纸，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="193"/>
        <source>The printer is offline. Please ask the staff.</source>
        <translation>打印机离线，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="194"/>
        <source>The printer has a fault. Please ask the staff.</source>
        <translation>打印机故障，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="195"/>
        <source>The ticket could not be printed. Please ask the staff.</source>
        <translation>号票打印失败，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="196"/>
        <source>The queue server cannot be reached.</source>
        <translation>无法连接取号服务器，请稍后再试</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="197"/>
        <source>The queue server did not answer in time.</source>
        <translation>取号服务器响应超时，请稍后再试</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="198"/>
        <source>Tickets are not issued at this time.</source>
        <translation>当前不在取号时间</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="199"/>
        <source>This matter is not issuing tickets now.</source>
        <translation>该事项暂停取号</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="200"/>
        <source>Today&apos;s tickets for this matter have all been taken.</source>
        <translation>该事项今日号已取完</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="201"/>
        <source>No ticket could be issued. Please ask the staff.</source>
        <translation>暂时无法取号，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="202"/>
        <source>Please wait a few seconds, then touch again.</source>
        <translation>请稍等几秒后再点选</translation>
    </message>
    <message>
        <location filename="../views/ticket.py" line="210"/>
        <source>No ticket was issued.</source>
        <translation>本次未出号</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <location filename="../views/pin.py" line="23"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../views/pin.py" line="27"/>
        <source>Priority lane: staff PIN</source>
        <translation>绿色通道：请工作人员输入密码</translation>
    </message>
    <message>
        <location filename="../views/pin.py" line="44"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../views/pin.py" line="44"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../views/pin.py" line="69"/>
        <source>Too many wrong PINs; try again in a minute.</source>
        <translation>密码错误次数过多，请一分钟后再试</translation>
    </message>
    <message>
        <location filename="../views/pin.py" line="71"/>
        <source>Wrong PIN.</source>
        <translation>密码错误</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <location filename="../views/start.py" line="38"/>
        <source>Please choose a department</source>
        <translation>请选择办理部门</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="41"/>
        <source>Search matters by pinyin initials</source>
        <translation>按拼音首字母搜索事项</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="53"/>
        <source>Tickets are not issued at this time</source>
        <translation>当前不在取号时间</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="70"/>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="70"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="80"/>
        <source>Priority lane (staff)</source>
        <translation>绿色通道（工作人员）</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="86"/>
        <source>Cancel priority</source>
        <translation>取消绿色通道</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="128"/>
        <source>Not issuing now</source>
        <translation>暂停取号</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="130"/>
        <source>Please ask the staff</source>
        <translation>请咨询工作人员</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="132"/>
        <source>Full for today</source>
        <translation>今日号已取完</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="133"/>
        <source>Waiting: {count}</source>
        <translation>等候 {count} 人</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="168"/>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} / {pages} 页</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="182"/>
        <source>Tickets are issued from {open} to {close}</source>
        <translation>取号时间 {open} – {close}</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="186"/>
        <source>Tickets are issued from {open}</source>
        <translation>{open} 起开始取号</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="188"/>
        <source>Tickets are issued until {close}</source>
        <translation>取号截至 {close}</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="190"/>
        <source>No tickets are issued today</source>
        <translation>今天不取号</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="193"/>
        <source>Priority lane: the next ticket is a priority ticket.</source>
        <translation>绿色通道已开启：下一张为优先号</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="195"/>
        <source>Staff: hold the priority button for two seconds.</source>
        <translation>工作人员：长按“绿色通道”两秒开启优先号</translation>
    </message>
    <message>
        <location filename="../views/start.py" line="197"/>
        <source>Touch a department, then the matter you need.</source>
        <translation>请先点选部门，再点选要办理的事项</translation>
    </message>
</context>
<context>
    <name>WorkingPage</name>
    <message>
        <location filename="../views/ticket.py" line="24"/>
        <source>Printing your ticket, please wait…</source>
        <translation>正在为您出票，请稍候…</translation>
    </message>
</context>
</TS>

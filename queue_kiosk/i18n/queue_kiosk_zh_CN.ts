<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConfirmationPage</name>
    <message>
        <location filename="../window.py" line="424" />
        <source>Your number</source>
        <translation>您的号码</translation>
    </message>
    <message>
        <location filename="../window.py" line="426" />
        <source>Priority lane</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <location filename="../window.py" line="437" />
        <source>Please take your ticket</source>
        <translation>请取走您的号票</translation>
    </message>
    <message>
        <location filename="../window.py" line="451" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../window.py" line="479" />
        <source>People ahead of you: {count}</source>
        <translation>前面还有 {count} 人</translation>
    </message>
    <message>
        <location filename="../window.py" line="481" />
        <source>You will be called shortly</source>
        <translation>即将为您叫号</translation>
    </message>
    <message>
        <location filename="../window.py" line="484" />
        <source>Estimated wait: about {minutes} min</source>
        <translation>预计等候约 {minutes} 分钟</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../window.py" line="565" />
        <source>Take a ticket</source>
        <translation>自助取号</translation>
    </message>
    <message>
        <location filename="../window.py" line="626" />
        <source>Cannot reach the queue server: no tickets are issued. Reconnecting…</source>
        <translation>无法连接取号服务器，暂停取号，正在自动重新连接…</translation>
    </message>
    <message>
        <location filename="../window.py" line="629" />
        <source>The printer is out of paper. Please ask the staff.</source>
        <translation>打印机缺纸，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../window.py" line="631" />
        <source>The printer is offline. Please ask the staff.</source>
        <translation>打印机离线，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../window.py" line="633" />
        <source>The printer has a fault. Please ask the staff.</source>
        <translation>打印机故障，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../window.py" line="635" />
        <source>Tickets are not issued at this time.</source>
        <translation>当前不在取号时间</translation>
    </message>
    <message>
        <location filename="../window.py" line="637" />
        <source>Priority lane: the next ticket is a priority ticket.</source>
        <translation>绿色通道已开启：下一张为优先号</translation>
    </message>
    <message>
        <location filename="../window.py" line="668" />
        <source>yyyy-MM-dd dddd HH:mm</source>
        <translation>yyyy年M月d日 dddd HH:mm</translation>
    </message>
</context>
<context>
    <name>MattersPage</name>
    <message>
        <location filename="../window.py" line="233" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../window.py" line="245" />
        <source>Search: type pinyin initials, e.g. sbk</source>
        <translation>搜索：输入拼音首字母，如 sbk（社保卡）</translation>
    </message>
    <message>
        <location filename="../window.py" line="261" />
        <source>Delete</source>
        <translation>退格</translation>
    </message>
    <message>
        <location filename="../window.py" line="265" />
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../window.py" line="275" />
        <source>No matter matches your search.</source>
        <translation>没有找到相符的事项</translation>
    </message>
    <message>
        <location filename="../window.py" line="281" />
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../window.py" line="289" />
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../window.py" line="304" />
        <location filename="../window.py" line="308" />
        <source>Not issuing now</source>
        <translation>暂停取号</translation>
    </message>
    <message>
        <location filename="../window.py" line="306" />
        <source>Full for today</source>
        <translation>今日号已取完</translation>
    </message>
    <message>
        <location filename="../window.py" line="309" />
        <source>Waiting: {count}</source>
        <translation>等候 {count} 人</translation>
    </message>
    <message>
        <location filename="../window.py" line="314" />
        <source>All matters</source>
        <translation>全部事项</translation>
    </message>
    <message>
        <location filename="../window.py" line="340" />
        <source>Page {page} of {pages}</source>
        <translation>第 {page} / {pages} 页</translation>
    </message>
</context>
<context>
    <name>NoticePage</name>
    <message>
        <location filename="../window.py" line="531" />
        <source>Back to start</source>
        <translation>返回首页</translation>
    </message>
    <message>
        <location filename="../window.py" line="538" />
        <source>The printer is out of paper. Please ask the staff.</source>
        <translation>打印机缺纸，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../window.py" line="539" />
        <source>The printer is offline. Please ask the staff.</source>
        <translation>打印机离线，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../window.py" line="540" />
        <source>The printer has a fault. Please ask the staff.</source>
        <translation>打印机故障，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../window.py" line="541" />
        <source>The ticket could not be printed. Please ask the staff.</source>
        <translation>号票打印失败，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../window.py" line="542" />
        <source>The queue server cannot be reached.</source>
        <translation>无法连接取号服务器，请稍后再试</translation>
    </message>
    <message>
        <location filename="../window.py" line="543" />
        <source>The queue server did not answer in time.</source>
        <translation>取号服务器响应超时，请稍后再试</translation>
    </message>
    <message>
        <location filename="../window.py" line="544" />
        <source>Tickets are not issued at this time.</source>
        <translation>当前不在取号时间</translation>
    </message>
    <message>
        <location filename="../window.py" line="545" />
        <source>This matter is not issuing tickets now.</source>
        <translation>该事项暂停取号</translation>
    </message>
    <message>
        <location filename="../window.py" line="546" />
        <source>Today's tickets for this matter have all been taken.</source>
        <translation>该事项今日号已取完</translation>
    </message>
    <message>
        <location filename="../window.py" line="547" />
        <source>No ticket could be issued. Please ask the staff.</source>
        <translation>暂时无法取号，请联系工作人员</translation>
    </message>
    <message>
        <location filename="../window.py" line="555" />
        <source>No ticket was issued.</source>
        <translation>本次未出号</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <location filename="../window.py" line="354" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../window.py" line="358" />
        <source>Priority lane: staff PIN</source>
        <translation>绿色通道：请工作人员输入密码</translation>
    </message>
    <message>
        <location filename="../window.py" line="375" />
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../window.py" line="375" />
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../window.py" line="396" />
        <source>Too many wrong PINs; try again in a minute.</source>
        <translation>密码错误次数过多，请一分钟后再试</translation>
    </message>
    <message>
        <location filename="../window.py" line="398" />
        <source>Wrong PIN.</source>
        <translation>密码错误</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <location filename="../window.py" line="153" />
        <source>Please choose a department</source>
        <translation>请选择办理部门</translation>
    </message>
    <message>
        <location filename="../window.py" line="156" />
        <source>Search matters by pinyin initials</source>
        <translation>按拼音首字母搜索事项</translation>
    </message>
    <message>
        <location filename="../window.py" line="168" />
        <source>Priority lane (staff)</source>
        <translation>绿色通道（工作人员）</translation>
    </message>
    <message>
        <location filename="../window.py" line="174" />
        <source>Cancel priority</source>
        <translation>取消绿色通道</translation>
    </message>
    <message>
        <location filename="../window.py" line="192" />
        <source>Not issuing now</source>
        <translation>暂停取号</translation>
    </message>
    <message>
        <location filename="../window.py" line="194" />
        <source>Full for today</source>
        <translation>今日号已取完</translation>
    </message>
    <message>
        <location filename="../window.py" line="195" />
        <source>Waiting: {count}</source>
        <translation>等候 {count} 人</translation>
    </message>
    <message>
        <location filename="../window.py" line="218" />
        <source>Priority lane: the next ticket is a priority ticket.</source>
        <translation>绿色通道已开启：下一张为优先号</translation>
    </message>
    <message>
        <location filename="../window.py" line="220" />
        <source>Staff: hold the priority button for two seconds.</source>
        <translation>工作人员：长按“绿色通道”两秒开启优先号</translation>
    </message>
    <message>
        <location filename="../window.py" line="222" />
        <source>Touch a department, then the matter you need.</source>
        <translation>请先点选部门，再点选要办理的事项</translation>
    </message>
</context>
<context>
    <name>WorkingPage</name>
    <message>
        <location filename="../window.py" line="409" />
        <source>Printing your ticket, please wait…</source>
        <translation>正在为您出票，请稍候…</translation>
    </message>
</context>
</TS>
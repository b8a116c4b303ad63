<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>KeypadWidget</name>
    <message>
        <location filename="../panel.py" line="65"/>
        <source>Keypad of counter %1</source>
        <translation>%1号窗口呼叫器</translation>
    </message>
    <message>
        <location filename="../panel.py" line="76"/>
        <source>Call</source>
        <translation>叫号</translation>
    </message>
    <message>
        <location filename="../panel.py" line="77"/>
        <source>Recall</source>
        <translation>重呼</translation>
    </message>
    <message>
        <location filename="../panel.py" line="78"/>
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <location filename="../panel.py" line="79"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../panel.py" line="80"/>
        <source>Finish</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../panel.py" line="81"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../panel.py" line="82"/>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../panel.py" line="83"/>
        <source>Rate</source>
        <translation>评价</translation>
    </message>
    <message>
        <location filename="../panel.py" line="84"/>
        <source>Enter</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../panel.py" line="85"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../panel.py" line="86"/>
        <source>Log out</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>Panel</name>
    <message>
        <location filename="../panel.py" line="132"/>
        <source>Simulated keypads and LED screens</source>
        <translation>模拟呼叫器与LED屏</translation>
    </message>
    <message>
        <location filename="../panel.py" line="185"/>
        <source>Clerk %1, PIN %2</source>
        <translation>工号 %1，密码 %2</translation>
    </message>
    <message>
        <location filename="../panel.py" line="189"/>
        <source>Window screen %1</source>
        <translation>%1号窗口屏</translation>
    </message>
    <message>
        <location filename="../panel.py" line="191"/>
        <source>Numeric screen %1</source>
        <translation>%1号数码屏</translation>
    </message>
    <message>
        <location filename="../panel.py" line="194"/>
        <source>Strip: latest calls</source>
        <translation>综合屏：最近叫号</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DisplayBoard</name>
    <message>
        <location filename="../board.py" line="615"/>
        <source>Recent calls</source>
        <translation>最近叫号</translation>
    </message>
    <message>
        <location filename="../board.py" line="617"/>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../board.py" line="618"/>
        <source>Paused</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <location filename="../board.py" line="619"/>
        <source>Closed</source>
        <translation>未开放</translation>
    </message>
    <message>
        <location filename="../board.py" line="763"/>
        <source>Other departments (%1)</source>
        <translation>其他 %1 个部门</translation>
    </message>
    <message>
        <location filename="../board.py" line="992"/>
        <source>Welcome</source>
        <translation>欢迎光临</translation>
    </message>
    <message>
        <location filename="../board.py" line="994"/>
        <source>Please wait for your number</source>
        <translation>请留意叫号</translation>
    </message>
    <message>
        <location filename="../board.py" line="998"/>
        <source>Calling again</source>
        <translation>再次呼叫</translation>
    </message>
    <message>
        <location filename="../board.py" line="1000"/>
        <source>Now calling</source>
        <translation>请</translation>
    </message>
    <message>
        <location filename="../board.py" line="1005"/>
        <source>Please go to %1</source>
        <translation>到 %1 办理</translation>
    </message>
    <message>
        <location filename="../board.py" line="1034"/>
        <source>Speaking</source>
        <translation>播报中</translation>
    </message>
    <message>
        <location filename="../board.py" line="1034"/>
        <source>Queued</source>
        <translation>待播报</translation>
    </message>
    <message>
        <location filename="../board.py" line="1060"/>
        <source>Counters, page %1 of %2</source>
        <translation>窗口 第 %1/%2 页</translation>
    </message>
    <message>
        <location filename="../board.py" line="1092"/>
        <source>%1 waiting</source>
        <translation>%1 人等候</translation>
    </message>
    <message>
        <location filename="../board.py" line="1113"/>
        <source>None of this board&apos;s counters (%1) exists in this hall (counters %2): check --counters</source>
        <translation>本屏设定的窗口（%1）在本大厅都不存在（本大厅窗口为 %2）：请检查 --counters</translation>
    </message>
    <message>
        <location filename="../board.py" line="1121"/>
        <source>paper running low</source>
        <translation>打印纸将用完</translation>
    </message>
    <message>
        <location filename="../board.py" line="1122"/>
        <source>out of paper</source>
        <translation>打印纸已用完</translation>
    </message>
    <message>
        <location filename="../board.py" line="1123"/>
        <source>printer offline</source>
        <translation>打印机离线</translation>
    </message>
    <message>
        <location filename="../board.py" line="1124"/>
        <source>printer error</source>
        <translation>打印机故障</translation>
    </message>
    <message>
        <location filename="../board.py" line="1127"/>
        <source>Kiosk %1: %2</source>
        <translation>取号机 %1：%2</translation>
    </message>
    <message>
        <location filename="../board.py" line="1139"/>
        <source>The hall server refused this board (%1)</source>
        <translation>大厅服务器拒绝了本显示屏（%1）</translation>
    </message>
    <message>
        <location filename="../board.py" line="1141"/>
        <source>Reconnecting…</source>
        <translation>正在重新连接…</translation>
    </message>
    <message>
        <location filename="../board.py" line="1144"/>
        <source>Connecting to the hall server at %1…</source>
        <translation>正在连接大厅服务器 %1…</translation>
    </message>
    <message>
        <location filename="../board.py" line="1146"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DisplayBoard</name>
    <message>
        <location filename="../views/board.py" line="95"/>
        <source>Recent calls</source>
        <translation>最近叫号</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="97"/>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="98"/>
        <source>Paused</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="99"/>
        <source>Closed</source>
        <translation>未开放</translation>
    </message>
    <message>
        <location filename="../views/layout.py" line="296"/>
        <source>Other departments (%1)</source>
        <translation>其他 %1 个部门</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="161"/>
        <source>Welcome</source>
        <translation>欢迎光临</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="163"/>
        <source>Please wait for your number</source>
        <translation>请留意叫号</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="167"/>
        <source>Calling again</source>
        <translation>再次呼叫</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="169"/>
        <source>Now calling</source>
        <translation>请</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="174"/>
        <source>Please go to %1</source>
        <translation>到 %1 办理</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="203"/>
        <source>Speaking</source>
        <translation>播报中</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="203"/>
        <source>Queued</source>
        <translation>待播报</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="229"/>
        <source>Counters, page %1 of %2</source>
        <translation>窗口 第 %1/%2 页</translation>
    </message>
    <message>
        <location filename="../views/board.py" line="261"/>
        <source>%1 waiting</source>
        <translation>%1 人等候</translation>
    </message>
    <message>
        <location filename="../views/status_view.py" line="126"/>
        <source>None of this board&apos;s counters (%1) exists in this hall (counters %2): check --counters</source>
        <translation>本屏设定的窗口（%1）在本大厅都不存在（本大厅窗口为 %2）：请检查 --counters</translation>
    </message>
    <message>
        <location filename="../views/status_view.py" line="138"/>
        <source>paper running low</source>
        <translation>打印纸将用完</translation>
    </message>
    <message>
        <location filename="../views/status_view.py" line="139"/>
        <source>out of paper</source>
        <translation>打印纸已用完</translation>
    </message>
    <message>
        <location filename="../views/status_view.py" line="140"/>
        <source>printer offline</source>
        <translation>打印机离线</translation>
    </message>
    <message>
        <location filename="../views/status_view.py" line="141"/>
        <source>printer error</source>
        <translation>打印机故障</translation>
    </message>
    <message>
        <location filename="../views/status_view.py" line="144"/>
        <source>Kiosk %1: %2</source>
        <translation>取号机 %1：%2</translation>
    </message>
    <message>
        <location filename="../views/status_view.py" line="109"/>
        <source>The hall server refused this board (%1)</source>
        <translation>大厅服务器拒绝了本显示屏（%1）</translation>
    </message>
    <message>
        <location filename="../views/status_view.py" line="113"/>
        <source>Reconnecting…</source>
        <translation>正在重新连接…</translation>
    </message>
    <message>
        <location filename="../views/status_view.py" line="115"/>
        <source>Connecting to the hall server at %1…</source>
        <translation>正在连接大厅服务器 %1…</translation>
    </message>
    <message>
        <location filename="../views/status_view.py" line="119"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
</TS>

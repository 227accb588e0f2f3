<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>@default</name>
    <message>
        <location filename="../urban_grid_plugin/plugin.py" line="58"/>
        <source>UrbanGrid tools</source>
        <translation>UrbanGrid 工具</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/plugin.py" line="65"/>
        <source>UrbanGrid panel</source>
        <translation>UrbanGrid 面板</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/plugin.py" line="124"/>
        <source>UrbanGrid algorithms are in the Processing Toolbox under &apos;UrbanGrid&apos;.</source>
        <translation>UrbanGrid 算法位于“处理工具箱”的“UrbanGrid”分组下。</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="60"/>
        <source>UrbanGrid 数字城管</source>
        <translation>UrbanGrid 数字城管</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="85"/>
        <source>Project GeoPackage (项目库)</source>
        <translation>项目库 (GeoPackage)</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="87"/>
        <source>No project open</source>
        <translation>尚未打开项目库</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="92"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="93"/>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="94"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="98"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="100"/>
        <source>Code profile / CRS</source>
        <translation>编码标准 / 坐标系</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="100"/>
        <source>Active grid cells</source>
        <translation>现行单元网格</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="59"/>
        <source>Components</source>
        <translation>部件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="100"/>
        <source>Candidates to review</source>
        <translation>待核查图斑</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="350"/>
        <source>Open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="353"/>
        <source>Overdue cases</source>
        <translation>超期案件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="405"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="116"/>
        <source>Work</source>
        <translation>业务</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="118"/>
        <source>Unit grid (单元网格) tools</source>
        <translation>单元网格工具</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="119"/>
        <source>Component (部件) tools</source>
        <translation>部件工具</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="120"/>
        <source>Imagery change tools</source>
        <translation>影像变化检测工具</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="121"/>
        <source>Review change candidates…</source>
        <translation>核查变化图斑…</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="122"/>
        <source>Create cases from confirmed candidates</source>
        <translation>由已确认图斑立案</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="125"/>
        <source>Flag overdue cases</source>
        <translation>标记超期案件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="126"/>
        <source>Case (案件) tools</source>
        <translation>案件工具</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="129"/>
        <source>One map and report</source>
        <translation>一张图与报告</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="131"/>
        <source>Add project layers to this map</source>
        <translation>将项目图层加入当前地图</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="133"/>
        <source>Build the one map (一张图)…</source>
        <translation>生成一张图…</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="134"/>
        <source>Export the PDF report…</source>
        <translation>导出 PDF 报告…</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="137"/>
        <source>Sync with the server</source>
        <translation>与服务器同步</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="141"/>
        <source>pg_service name or connection without password</source>
        <translation>pg_service 服务名或不含密码的连接串</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="145"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="192"/>
        <source>Not installed yet</source>
        <translation>尚未安装</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="216"/>
        <source>Opening {name}</source>
        <translation>打开 {name}</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="222"/>
        <source>Open project GeoPackage</source>
        <translation>打开项目库</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="228"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="228"/>
        <source>New project GeoPackage</source>
        <translation>新建项目库</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="245"/>
        <source>Creating the project</source>
        <translation>新建项目库</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="270"/>
        <source>never synced</source>
        <translation>从未同步</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="287"/>
        <source>Sync is not installed yet</source>
        <translation>同步功能尚未安装</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="297"/>
        <source>Open or create a project GeoPackage first.</source>
        <translation>请先打开或新建项目库。</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="325"/>
        <source>Adding the project layers</source>
        <translation>加载项目图层</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="344"/>
        <source>Building the one map</source>
        <translation>生成一张图</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="344"/>
        <source>One map written to {path}</source>
        <translation>一张图已写入 {path}</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="353"/>
        <source>Save the report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="353"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="360"/>
        <source>Exporting the report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="360"/>
        <source>Report written: {path} ({pages} pages)</source>
        <translation>报告已生成：{path}（共 {pages} 页）</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="397"/>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="379"/>
        <source>Creating cases from candidates</source>
        <translation>由图斑立案</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="379"/>
        <source>{n} new cases</source>
        <translation>新增案件 {n} 件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="396"/>
        <source>Flagging overdue cases</source>
        <translation>标记超期案件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="396"/>
        <source>{n} cases are overdue</source>
        <translation>超期案件 {n} 件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="410"/>
        <source>Enter the server (pg_service name) first.</source>
        <translation>请先填写服务器（pg_service 服务名）。</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="412"/>
        <source>Syncing with the server</source>
        <translation>正在与服务器同步</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="430"/>
        <source>Opening the review</source>
        <translation>打开图斑核查</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="439"/>
        <source>{what} is not installed in this version yet.</source>
        <translation>本版本尚未安装“{what}”功能。</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="512"/>
        <source>last {at} ({step}); {outbox} unsent; {conflicts} conflicts</source>
        <translation>上次 {at}（{step}）；待上传 {outbox} 批；冲突 {conflicts} 条</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/messages.py" line="28"/>
        <source>{action} failed</source>
        <translation>{action}失败</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/messages.py" line="28"/>
        <source>Failed</source>
        <translation>操作失败</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/messages.py" line="30"/>
        <source>{prefix}: please check the input. {detail}</source>
        <translation>{prefix}：请检查输入数据。{detail}</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/messages.py" line="35"/>
        <source>{prefix}: file not found: {name}</source>
        <translation>{prefix}：找不到文件 {name}</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/messages.py" line="37"/>
        <source>{prefix}: no permission to write {name}</source>
        <translation>{prefix}：没有写入 {name} 的权限</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/messages.py" line="39"/>
        <source>{prefix}: an unexpected error occurred. Details are in the Log Messages panel (UrbanGrid tab).</source>
        <translation>{prefix}：发生意外错误。详细信息见“日志消息”面板（UrbanGrid 标签页）。</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="343"/>
        <source>Review change candidates (图斑核查)</source>
        <translation>图斑核查</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="356"/>
        <source>Note for this decision (optional); Enter returns to the keys</source>
        <translation>核查意见（可选）；按回车返回快捷键操作</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="358"/>
        <source>Create a case (立案 draft) for confirmed candidates</source>
        <translation>确认的图斑自动生成案件（待立案）</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="362"/>
        <source>← Previous</source>
        <translation>← 上一个</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="362"/>
        <source>Confirm (Y)</source>
        <translation>确认违建 (Y)</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="362"/>
        <source>Reject (N)</source>
        <translation>排除 (N)</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="362"/>
        <source>Skip (S)</source>
        <translation>跳过 (S)</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="362"/>
        <source>Next →</source>
        <translation>下一个 →</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="446"/>
        <source>{pending} of {total} still pending</source>
        <translation>共 {total} 个，{pending} 个待核查</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="449"/>
        <source>No change candidates to review.</source>
        <translation>没有需要核查的变化图斑。</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="453"/>
        <source>pending</source>
        <translation>待核查</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="453"/>
        <source>confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="454"/>
        <source>rejected</source>
        <translation>已排除</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="454"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="458"/>
        <source>&lt;b&gt;Candidate {n} / {total}&lt;/b&gt; · area {area} · confidence {conf} · grid {grid} · list {list} · review: &lt;b&gt;{status}&lt;/b&gt;{case}</source>
        <translation>&lt;b&gt;图斑 {n} / {total}&lt;/b&gt; · 面积 {area} · 置信度 {conf} · 单元网格 {grid} · 清单 {list} · 核查：&lt;b&gt;{status}&lt;/b&gt;{case}</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="458"/>
        <source>case {id}</source>
        <translation>案件 {id}</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="467"/>
        <source>Before</source>
        <translation>前时相</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="467"/>
        <source>After</source>
        <translation>后时相</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="471"/>
        <source>(no image)</source>
        <translation>（无影像）</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="491"/>
        <source>Saving the review decision</source>
        <translation>保存核查结论</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="499"/>
        <source>All candidates are reviewed.</source>
        <translation>全部图斑已核查完毕。</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/tasks.py" line="102"/>
        <source>{task}: cancelled, nothing was changed</source>
        <translation>{task}：已取消，数据未作任何改动</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="65"/>
        <source>Imagery change (violations)</source>
        <translation>影像变化（违建）</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="67"/>
        <source>Unit grid</source>
        <translation>区划与单元网格</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="75"/>
        <source>Cases by state</source>
        <translation>案件（按状态）</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="60"/>
        <source>New candidates</source>
        <translation>新增图斑</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="77"/>
        <source>Listed candidates</source>
        <translation>已入清单图斑</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="78"/>
        <source>Planning permits</source>
        <translation>规划许可</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="79"/>
        <source>Known violations</source>
        <translation>存量违建</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="80"/>
        <source>Demolished violations</source>
        <translation>已拆违建</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="81"/>
        <source>Point components</source>
        <translation>点状部件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="82"/>
        <source>Line components</source>
        <translation>线状部件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="83"/>
        <source>Area components</source>
        <translation>面状部件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="84"/>
        <source>Component census per cell</source>
        <translation>部件普查（按单元网格）</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="85"/>
        <source>Unit grid cells</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="86"/>
        <source>Communities</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="119"/>
        <source>Streets</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="202"/>
        <source>Skipped {title}: no layer {table} in the project yet</source>
        <translation>已跳过“{title}”：项目库中尚无图层 {table}</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="207"/>
        <source>Could not open {table}</source>
        <translation>无法打开 {table}</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="307"/>
        <source>UrbanGrid one map</source>
        <translation>UrbanGrid 一张图</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="59"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="59"/>
        <source>Grid cells</source>
        <translation>单元网格数</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="147"/>
        <source>Permitted</source>
        <translation>有规划许可</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="61"/>
        <source>Known</source>
        <translation>存量违建</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="61"/>
        <source>Rebuilt</source>
        <translation>拆后重建</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="62"/>
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="64"/>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="62"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="399"/>
        <source>Closure rate</source>
        <translation>结案率</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="63"/>
        <source>Overdue rate</source>
        <translation>超期率</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="90"/>
        <source>Counting per street: {n} streets</source>
        <translation>按街道统计：共 {n} 个街道</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="96"/>
        <source>UrbanGrid district report</source>
        <translation>UrbanGrid 数字城管区级报告</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="169"/>
        <source>Cases per state</source>
        <translation>各状态案件数</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="175"/>
        <source>Cases per month</source>
        <translation>每月新增案件数</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="178"/>
        <source>No cases yet</source>
        <translation>暂无案件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="249"/>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="320"/>
        <source>District overview · generated {date}</source>
        <translation>全区概况 · 生成于 {date}</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="335"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="340"/>
        <source>Cases: states, months and indicators</source>
        <translation>案件：状态、月度与考核指标</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="351"/>
        <source>Closed cases</source>
        <translation>结案数</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="354"/>
        <source>Overdue rate of open cases</source>
        <translation>在办案件超期率</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="355"/>
        <source>New candidates (imagery)</source>
        <translation>新增图斑（影像）</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="356"/>
        <source>Candidates confirmed by auditors</source>
        <translation>核查确认图斑</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="358"/>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="438"/>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="369"/>
        <source>Closure rate = closed cases / all cases. Overdue = a running case past its deadline (closed, voided and suspended cases do not run).</source>
        <translation>结案率 = 结案数 / 案件总数。超期 = 在办案件超过处置时限（已结案、作废和挂账案件不计时）。</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="422"/>
        <source>Street sheet</source>
        <translation>街道分页</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="438"/>
        <source>Count</source>
        <translation>统计项</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="457"/>
        <source>This street</source>
        <translation>本街道</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="459"/>
        <source>Other streets</source>
        <translation>其他街道</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="61"/>
        <source>Collecting</source>
        <translation>信息收集</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="61"/>
        <source>Filed</source>
        <translation>立案</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="61"/>
        <source>Voided</source>
        <translation>作废</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="62"/>
        <source>Dispatched</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="62"/>
        <source>Handling</source>
        <translation>处置</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="62"/>
        <source>Postponed</source>
        <translation>延期</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="63"/>
        <source>Returned</source>
        <translation>回退</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="63"/>
        <source>Suspended</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="63"/>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="64"/>
        <source>Verifying</source>
        <translation>核查</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="64"/>
        <source>Rework</source>
        <translation>返工</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="71"/>
        <source>Public utilities</source>
        <translation>公用设施</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="71"/>
        <source>Roads and traffic</source>
        <translation>道路交通</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="72"/>
        <source>City appearance and sanitation</source>
        <translation>市容环境</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="72"/>
        <source>Parks and greenery</source>
        <translation>园林绿化</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="73"/>
        <source>Buildings and land</source>
        <translation>房屋土地</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="73"/>
        <source>Other facilities</source>
        <translation>其他设施</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="147"/>
        <source>Known violation</source>
        <translation>存量违建</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="147"/>
        <source>Rebuilt after demolition</source>
        <translation>拆后重建</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/styles.py" line="202"/>
        <source>Extension classes</source>
        <translation>扩展部件</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="26"/>
        <source>Maps and reports</source>
        <translation>地图与报告</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="35"/>
        <source>Project GeoPackage</source>
        <translation>项目库</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="46"/>
        <source>District report (PDF)</source>
        <translation>区级报告 (PDF)</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="49"/>
        <source>Writes the district report: an overview map with counts per street, case charts per state and per month with indicators, then one atlas page per street with the map of its violations.</source>
        <translation>生成区级报告：全区概况图与各街道统计表，案件按状态、按月份的统计图与考核指标，随后每个街道一页图集，展示该街道的违建与案件分布。</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="55"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="57"/>
        <source>Report PDF</source>
        <translation>报告 PDF</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="80"/>
        <source>One map (一张图) project</source>
        <translation>一张图工程</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="83"/>
        <source>Writes a QGIS project with the unit grid, communities, components, the violation lists, new candidates and cases by state and overdue, grouped and styled from the plugin&apos;s QML styles.</source>
        <translation>生成 QGIS 工程：单元网格、社区、部件、三类违建清单、新增图斑、按状态与超期显示的案件，按组排列并套用插件 QML 样式。</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="89"/>
        <source>QGIS project</source>
        <translation>QGIS 工程</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="506"/>
        <source>New</source>
        <translation>新增</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/dock.py" line="412"/>
        <source>Sync finished: {summary}</source>
        <translation>同步完成：{summary}</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="363"/>
        <source>Handling departments (GB/T 30428.4 indicators)</source>
        <translation>专业部门考核指标（GB/T 30428.4）</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="367"/>
        <source>No department indicators yet: no case has been dispatched.</source>
        <translation>暂无专业部门指标：尚无派遣的案件。</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="397"/>
        <source>Department</source>
        <translation>专业部门</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="398"/>
        <source>Due</source>
        <translation>应处置数</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="398"/>
        <source>On-time rate</source>
        <translation>按期处置率</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="399"/>
        <source>Rework rate</source>
        <translation>返工率</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="400"/>
        <source>Score</source>
        <translation>综合指标值</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/report.py" line="400"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="268"/>
        <source>Components drawn one by one from 1:{scale} (the census above)</source>
        <translation>比例尺大于 1:{scale} 时逐个显示部件（更小比例尺显示网格普查统计）</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/review.py" line="382"/>
        <source>Keys: Y/C confirm · N/R reject · S skip · ←/→ move</source>
        <translation>快捷键：Y/C 确认 · N/R 排除 · S 跳过 · ←/→ 切换</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="25"/>
        <source>project GeoPackage not found</source>
        <translation>找不到项目库</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="26"/>
        <source>project has no unit grid yet; run &apos;urbangrid grid build&apos; first</source>
        <translation>项目库中尚无单元网格，请先运行“urbangrid grid build”生成网格</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="27"/>
        <source>cannot open project GeoPackage for writing</source>
        <translation>无法以写入方式打开项目库</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="28"/>
        <source>project has no active grid cells</source>
        <translation>项目库中没有现行单元网格</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="29"/>
        <source>project holds no components yet; run &apos;urbangrid components import&apos; first</source>
        <translation>项目库中尚无部件，请先运行“urbangrid components import”导入部件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="30"/>
        <source>project has no change_candidate layer; run the imagery change detection first</source>
        <translation>项目库中没有变化图斑图层，请先运行影像变化检测</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="31"/>
        <source>the project has no change candidates yet; run the imagery change detection first</source>
        <translation>项目库中尚无变化图斑，请先运行影像变化检测</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="32"/>
        <source>the project has no streets yet; build the grid from communities first</source>
        <translation>项目库中尚无街道，请先由社区生成单元网格</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="33"/>
        <source>the project has no map layers yet; build the grid first</source>
        <translation>项目库中尚无地图图层，请先生成单元网格</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="34"/>
        <source>the project has no street layer for the atlas</source>
        <translation>项目库中没有可用于图集的街道图层</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="35"/>
        <source>the report atlas has no streets to print</source>
        <translation>报告图集中没有可输出的街道</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="36"/>
        <source>the one map must be written to a .qgz or .qgs file</source>
        <translation>一张图必须保存为 .qgz 或 .qgs 工程文件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="37"/>
        <source>not an UrbanGrid project (no ug_project table); create it first</source>
        <translation>不是 UrbanGrid 项目库（缺少 ug_project 表），请先新建项目库</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="38"/>
        <source>not a GeoPackage (no gpkg_contents); create the project first</source>
        <translation>不是 GeoPackage 文件（缺少 gpkg_contents），请先新建项目库</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="39"/>
        <source>there is no candidate to review</source>
        <translation>没有需要核查的图斑</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="40"/>
        <source>the rasters do not overlap</source>
        <translation>两期影像没有重叠区域</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="41"/>
        <source>the epochs are not on one grid; run &apos;urbangrid imagery align&apos; first</source>
        <translation>两期影像不在同一栅格上，请先运行“urbangrid imagery align”配准</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="42"/>
        <source>input has no CRS; add a .prj or set &apos;crs&apos; in the mapping file</source>
        <translation>输入数据没有坐标系，请补充 .prj 文件或在字段映射文件中设置 crs</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="43"/>
        <source>input file not found</source>
        <translation>找不到输入文件</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="44"/>
        <source>laptop GeoPackage not found</source>
        <translation>找不到外业终端项目库</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="45"/>
        <source>the server has no urbangrid schema; run `urbangrid sync server-init`</source>
        <translation>服务器上没有 urbangrid 模式，请先运行“urbangrid sync server-init”</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="46"/>
        <source>cancelled by the user</source>
        <translation>已被用户取消</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="47"/>
        <source>cannot write the PDF</source>
        <translation>无法写入 PDF</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="48"/>
        <source>cannot open this list layer</source>
        <translation>无法打开该清单图层</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="58"/>
        <source>row {row}</source>
        <translation>第 {row} 行</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/gui/core_messages.py" line="60"/>
        <source>field &apos;{field}&apos;</source>
        <translation>字段“{field}”</translation>
    </message>
</context>
</TS>

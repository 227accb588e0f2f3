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
        <location filename="../processing/components_algorithms.py" line="19"/>
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
        <location filename="../processing/cases_algorithms.py" line="84"/>
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
        <location filename="../processing/cases_algorithms.py" line="74"/>
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
        <location filename="../processing/cases_algorithms.py" line="22"/>
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
        <location filename="../processing/grid_algorithms.py" line="25"/>
        <source>Unit grid</source>
        <translation>区划与单元网格</translation>
    </message>
    <message>
        <location filename="../urban_grid_plugin/mapping/one_map.py" line="75"/>
        <source>Cases by state</source>
        <translation>案件（按状态）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="155"/>
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
        <location filename="../processing/imagery_algorithms.py" line="149"/>
        <source>Known violations</source>
        <translation>存量违建</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="149"/>
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
        <location filename="../processing/grid_algorithms.py" line="91"/>
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
        <location filename="../processing/report_algorithms.py" line="19"/>
        <source>Maps and reports</source>
        <translation>地图与报告</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="22"/>
        <source>Project GeoPackage</source>
        <translation>项目库</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="32"/>
        <source>District report (PDF)</source>
        <translation>区级报告 (PDF)</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="35"/>
        <source>Writes the district report: an overview map with counts per street, case charts per state and per month with indicators, then one atlas page per street with the map of its violations.</source>
        <translation>生成区级报告：全区概况图与各街道统计表，案件按状态、按月份的统计图与考核指标，随后每个街道一页图集，展示该街道的违建与案件分布。</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="41"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="43"/>
        <source>Report PDF</source>
        <translation>报告 PDF</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="66"/>
        <source>One map (一张图) project</source>
        <translation>一张图工程</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="69"/>
        <source>Writes a QGIS project with the unit grid, communities, components, the violation lists, new candidates and cases by state and overdue, grouped and styled from the plugin&apos;s QML styles.</source>
        <translation>生成 QGIS 工程：单元网格、社区、部件、三类违建清单、新增图斑、按状态与超期显示的案件，按组排列并套用插件 QML 样式。</translation>
    </message>
    <message>
        <location filename="../processing/report_algorithms.py" line="75"/>
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
    <message>
        <location filename="../processing/cases_algorithms.py" line="36"/>
        <source>Cases from imagery candidates</source>
        <translation>由变化图斑生成案件</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="39"/>
        <source>Creates one draft case (state collecting, class illegal construction: 0101 in the 2013 profile, 06001 in 2026) for every change_candidate that is confirmed and not on the permit/known lists, attaches its before/after chips and writes the case_id back to the candidate. Candidates that already have a case are skipped.</source>
        <translation>为每个已确认且不在规划许可/存量违建清单中的变化图斑（change_candidate）生成一条待立案案件（状态：信息收集；类别：私搭乱建，2013 版代码 0101，2026 版代码 06001），附上前后期影像切片，并把案件编号（case_id）回写到图斑。已有案件的图斑将跳过。</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="46"/>
        <source>Actor (who creates the drafts)</source>
        <translation>操作人（生成案件草稿者）</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="48"/>
        <source>Also candidates still pending review</source>
        <translation>同时包括尚待核查的图斑</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="50"/>
        <source>Cases created</source>
        <translation>已生成案件数</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="63"/>
        <source>{count} draft case(s) created</source>
        <translation>已生成 {count} 条待立案案件</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="77"/>
        <source>Sets ug_case.overdue for every open case whose current-stage deadline (computed from the time-limit table on the working calendar) has passed at the given time.</source>
        <translation>对在指定时间已超过当前环节时限（按工作日历与时限标准表计算）的每条未结案件，设置超期标记（ug_case.overdue）。</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="119"/>
        <source>Evaluate at (ISO time; empty = now)</source>
        <translation>评价时间（ISO 时间；留空 = 当前时间）</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="94"/>
        <source>Overdue: {case_id} {state}, due {deadline}</source>
        <translation>超期：{case_id} {state}，时限 {deadline}</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="106"/>
        <source>Case indicators</source>
        <translation>案件绩效评价</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="109"/>
        <source>Computes the evaluation indicators (on-time disposal rate, closing rate, rework rate, on-time and accurate filing, on-time closing, on-time and accurate dispatch, valid report rate, on-time verification and on-time check rates) and the composite score with A–E grades per department, street and role (GB/T 30428.4) for [FROM, TO), writes one CSV per table and a PNG chart.</source>
        <translation>按专业部门、街道和岗位（GB/T 30428.4）计算 [起始, 截止) 期间的绩效评价指标（按期处置率、结案率、返工率、按时立案率、准确立案率、按时结案率、按时派遣率、准确派遣率、有效上报率、按时核实率、按时核查率）及综合指标值和 A–E 等级，每张表输出一个 CSV 文件，并生成一张 PNG 统计图。</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="117"/>
        <source>Period start (ISO date)</source>
        <translation>统计起始日期（ISO 日期）</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="118"/>
        <source>Period end, exclusive (ISO date)</source>
        <translation>统计截止日期，不含当日（ISO 日期）</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="121"/>
        <source>Folder for CSV tables</source>
        <translation>CSV 表输出文件夹</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="122"/>
        <source>Chart</source>
        <translation>统计图</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="144"/>
        <source>{table}: {rows} row(s)</source>
        <translation>{table}：{rows} 行</translation>
    </message>
    <message>
        <location filename="../processing/cases_algorithms.py" line="150"/>
        <source>Case indicators {start} – {end}</source>
        <translation>绩效评价 {start} – {end}</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="33"/>
        <source>Import components</source>
        <translation>部件导入</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="36"/>
        <source>Imports components from a GeoPackage, Shapefile, GeoJSON or CSV (x/y) in any CRS. A YAML/JSON mapping file maps your column names to the standard fields. Every row is validated (class code, geometry type, inside a grid cell, required fields, dates, ID); bad rows go to component_quarantine with file, row and reason. Valid rows are assigned to their grid cell and community and get a standard ID (division + class + serial). Re-importing the same file changes nothing.</source>
        <translation>从任意坐标系的 GeoPackage、Shapefile、GeoJSON 或 CSV（x/y 坐标）导入部件。可用 YAML/JSON 字段映射文件把源数据列名对应到标准字段。逐行校验（部件类别代码、几何类型、是否落在单元网格内、必填字段、日期、标识码），不合格的行连同文件、行号和原因写入隔离表 component_quarantine。合格的部件归属到所在单元网格和社区，并按“行政区划 + 类别 + 流水号”赋予标准标识码。重复导入同一文件不会产生任何变化。</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="45"/>
        <source>Survey file (GeoPackage, Shapefile, GeoJSON, CSV)</source>
        <translation>部件普查文件（GeoPackage、Shapefile、GeoJSON、CSV）</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="47"/>
        <source>Field-mapping file (YAML/JSON)</source>
        <translation>字段映射文件（YAML/JSON）</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="49"/>
        <source>Local code-table extension (CSV)</source>
        <translation>本地扩展代码表（CSV）</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="51"/>
        <source>Change reason for updated components</source>
        <translation>部件变更原因</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="53"/>
        <source>New components</source>
        <translation>新增部件</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="53"/>
        <source>Changed components</source>
        <translation>变更部件</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="53"/>
        <source>Unchanged components</source>
        <translation>未变化部件</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="53"/>
        <source>Rows in quarantine</source>
        <translation>隔离行数</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="95"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="81"/>
        <source>Component census</source>
        <translation>部件统计</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="84"/>
        <source>Counts components per grid cell, class, state and department into the table component_census and the polygon layer component_census_cell (total and per major class per cell), styled as a choropleth by layers/component_census.qml.</source>
        <translation>按单元网格、部件类别、部件状态和主管部门统计部件数量，写入统计表 component_census 和面图层 component_census_cell（每个单元网格的总数及各大类数量），并按 layers/component_census.qml 以分级设色显示。</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="90"/>
        <source>Census table (CSV)</source>
        <translation>统计表（CSV）</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="92"/>
        <source>Components counted</source>
        <translation>统计部件数</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="104"/>
        <source>{total} components in {cells} cells</source>
        <translation>{cells} 个单元网格内共 {total} 个部件</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="116"/>
        <source>Find duplicate components</source>
        <translation>查找重复部件</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="119"/>
        <source>Lists pairs of components of the same class closer than the tolerance into the table component_duplicate, for review.</source>
        <translation>找出距离小于容差的同类部件对，写入表 component_duplicate 供核查。</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="124"/>
        <source>Tolerance (m)</source>
        <translation>容差（米）</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="126"/>
        <source>Duplicate pairs</source>
        <translation>重复部件对数</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="135"/>
        <source>{pairs} duplicate pairs within {tolerance} m</source>
        <translation>{tolerance} 米内有 {pairs} 对重复部件</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="146"/>
        <source>Components as of a date</source>
        <translation>部件历史状态（按日期）</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="149"/>
        <source>Writes every component as it was on the given date (YYYY-MM-DD), using the change history (component_history): components created later are left out, changed ones appear in the version valid on that day.</source>
        <translation>根据部件变更历史（component_history）输出指定日期（YYYY-MM-DD）当天的全部部件：之后新增的部件不输出，变更过的部件输出当天有效的版本。</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="155"/>
        <source>Date (YYYY-MM-DD)</source>
        <translation>日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="156"/>
        <source>Output GeoPackage</source>
        <translation>输出 GeoPackage</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="158"/>
        <source>Components on that date</source>
        <translation>当日部件数</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="175"/>
        <source>{count} components as of {date}</source>
        <translation>{date} 当日共 {count} 个部件</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="186"/>
        <source>Re-assign components to the grid</source>
        <translation>部件重新归属单元网格</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="189"/>
        <source>After the unit grid changed, assigns every stored component to its current active grid cell and community. Components that moved keep their old version in component_history; components now outside every cell keep their codes and are reported.</source>
        <translation>单元网格调整后，把已入库的每个部件重新归属到当前有效的单元网格和社区。归属变化的部件，其旧版本保留在 component_history 中；已不在任何单元网格内的部件保留原编码并单独列出。</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="195"/>
        <source>Change reason</source>
        <translation>变更原因</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="195"/>
        <source>grid re-assignment</source>
        <translation>单元网格调整</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="197"/>
        <source>Components moved to another cell</source>
        <translation>归属其他单元网格的部件数</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="198"/>
        <source>Components outside every cell</source>
        <translation>不在任何单元网格内的部件数</translation>
    </message>
    <message>
        <location filename="../processing/components_algorithms.py" line="207"/>
        <source>Checked {checked}: {changed} moved, {outside} outside every cell</source>
        <translation>已检查 {checked} 个部件：{changed} 个改变归属，{outside} 个不在任何单元网格内</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="32"/>
        <source>Lattice (regular grid clipped to the community)</source>
        <translation>规则格网（按社区边界裁切）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="33"/>
        <source>Barrier lines (follow roads, rivers, walls)</source>
        <translation>沿界线划分（道路、河流、围墙）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="54"/>
        <source>Build unit grid</source>
        <translation>生成单元网格</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="57"/>
        <source>Generates 15-digit coded unit grid cells (GB/T 30428.1) inside each community polygon, either as a regular lattice clipped to the community or following barrier lines (roads, rivers, walls) with small pieces merged and large ones split until cells are near the target area. Cells never cross a community boundary and are numbered west→east, north→south. Re-building keeps the codes of unchanged cells, retires the others (termination date) and never reuses a code. The project GeoPackage is created if missing; bad input changes nothing stored.</source>
        <translation>在每个社区面内生成 15 位编码的单元网格（GB/T 30428.1）：可以是按社区边界裁切的规则格网，也可以沿道路、河流、围墙等界线划分，合并过小的碎块、拆分过大的地块，使单元网格面积接近目标面积。单元网格不跨社区边界，按自西向东、自北向南顺序编码。重新划分时，未变化的单元网格保留原编码，其余的注销（填写终止日期），编码永不复用。项目库不存在时自动创建；输入有误时不改动已存储的任何数据。</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="68"/>
        <source>Communities with 12-digit codes</source>
        <translation>社区（12 位编码）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="70"/>
        <source>Community code field (blank = community_code/code)</source>
        <translation>社区编码字段（留空 = community_code/code）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="72"/>
        <source>Streets with 9-digit codes, for names</source>
        <translation>街道（9 位编码，用于名称）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="75"/>
        <source>Mode</source>
        <translation>划分方式</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="76"/>
        <source>Target cell area (m²)</source>
        <translation>单元网格目标面积（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="79"/>
        <source>Area tolerance (fraction, barrier mode)</source>
        <translation>面积容差（比例，沿界线划分时）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="82"/>
        <source>Lattice cell size (m, 0 = √target area)</source>
        <translation>规则格网边长（米，0 = √目标面积）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="85"/>
        <source>Barrier lines (roads, rivers, walls)</source>
        <translation>界线（道路、河流、围墙）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="192"/>
        <source>Date (YYYY-MM-DD, blank = today)</source>
        <translation>日期（YYYY-MM-DD，留空 = 今天）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="89"/>
        <source>Reason (recorded in grid history)</source>
        <translation>原因（记入单元网格变更历史）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="92"/>
        <source>Active cells</source>
        <translation>有效单元网格数</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="93"/>
        <source>Cells created</source>
        <translation>新增单元网格数</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="194"/>
        <source>Cells retired</source>
        <translation>注销单元网格数</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="123"/>
        <source>{active} active cells in {communities} communities; created {created}, kept {kept}, retired {retired}; area m² min {low} median {median} max {high}, {within}% within tolerance</source>
        <translation>{communities} 个社区内共 {active} 个有效单元网格；新增 {created}，保留 {kept}，注销 {retired}；面积（平方米）最小 {low}，中位数 {median}，最大 {high}，{within}% 在容差范围内</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="141"/>
        <source>Check unit grid</source>
        <translation>单元网格质检</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="144"/>
        <source>Checks the project's active unit grid and reports each problem with its cell code and location: gaps and overlaps, cells outside or crossing their community, code prefix ≠ community code, duplicate codes, malformed codes, invalid geometry and area outliers. The problems are stored as the grid_check point layer and listed in the log.</source>
        <translation>检查项目库中的有效单元网格，逐条报告问题及其单元网格编码和位置：缝隙与重叠、超出或跨越所属社区、编码前缀与社区编码不一致、编码重复、编码格式错误、几何无效以及面积异常。问题存入点图层 grid_check，并在日志中列出。</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="151"/>
        <source>Area outlier below (× target)</source>
        <translation>面积过小阈值（× 目标面积）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="153"/>
        <source>Area outlier above (× target)</source>
        <translation>面积过大阈值（× 目标面积）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="155"/>
        <source>Grid problems (grid_check)</source>
        <translation>单元网格问题（grid_check）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="156"/>
        <source>Problems found</source>
        <translation>发现问题数</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="157"/>
        <source>Problem list</source>
        <translation>问题清单</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="169"/>
        <source>{count} problem(s)</source>
        <translation>{count} 个问题</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="182"/>
        <source>Retire grid cells</source>
        <translation>注销单元网格</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="185"/>
        <source>Sets the termination date of the given active cells and records the reason in grid_history. Retired cells stay in the project and their codes are never given out again.</source>
        <translation>为指定的有效单元网格填写终止日期，并在 grid_history 中记录原因。注销的单元网格仍保留在项目库中，其编码永不再分配。</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="190"/>
        <source>Cell codes (comma or space separated)</source>
        <translation>单元网格编码（以逗号或空格分隔）</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="191"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../processing/grid_algorithms.py" line="204"/>
        <source>Retired {count} cell(s)</source>
        <translation>已注销 {count} 个单元网格</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="25"/>
        <source>Imagery</source>
        <translation>影像</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="31"/>
        <source>Satellite</source>
        <translation>卫星</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="31"/>
        <source>Drone</source>
        <translation>无人机</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="31"/>
        <source>Aerial</source>
        <translation>航空摄影</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="50"/>
        <source>Register imagery epoch</source>
        <translation>影像时相登记</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="53"/>
        <source>Checks a satellite or drone image (CRS, readable pixels, bands) and records it in the project&apos;s imagery_epoch table with its date, resolution, CRS, footprint and optional DSM.</source>
        <translation>检查卫星或无人机影像（坐标系、像元可读、波段），并将其拍摄日期、分辨率、坐标系、覆盖范围及可选的 DSM 登记到项目库的 imagery_epoch 表。</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="58"/>
        <source>Image (GeoTIFF)</source>
        <translation>影像（GeoTIFF）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="59"/>
        <source>Sensor</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="61"/>
        <source>Acquisition date (YYYY-MM-DD)</source>
        <translation>拍摄日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="62"/>
        <source>Epoch name</source>
        <translation>时相名称</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="63"/>
        <source>DSM of the same epoch</source>
        <translation>同一时相的 DSM</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="64"/>
        <source>Epoch id</source>
        <translation>时相编号</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="77"/>
        <source>Registered {name} ({resolution} m/px)</source>
        <translation>已登记 {name}（{resolution} 米/像元）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="89"/>
        <source>Align imagery pair</source>
        <translation>影像配准</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="92"/>
        <source>Reprojects both images onto a common grid in the target CRS at the chosen resolution (overlap only; finer images are area-averaged), finds the sub-pixel shift of the later image by phase correlation and applies it, and histogram-matches the later image to the earlier one. Writes before.tif, after.tif and align.json into the output folder.</source>
        <translation>把两期影像按所选分辨率重投影到目标坐标系下的同一格网（仅重叠区；较高分辨率影像按面积平均重采样），用相位相关求出后期影像的亚像元偏移并加以改正，再把后期影像直方图匹配到前期影像。在输出文件夹中写出 before.tif、after.tif 和 align.json。</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="98"/>
        <source>Earlier image</source>
        <translation>前期影像</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="99"/>
        <source>Later image</source>
        <translation>后期影像</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="100"/>
        <source>Target CRS</source>
        <translation>目标坐标系</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="101"/>
        <source>Resolution (m; 0 = the coarser image&apos;s)</source>
        <translation>分辨率（米；0 = 取较粗影像的分辨率）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="104"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="105"/>
        <source>Shift found (dx, dy px)</source>
        <translation>求得的偏移（dx, dy 像元）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="127"/>
        <source>Detect new construction</source>
        <translation>新增违建图斑检测</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="130"/>
        <source>For two registered epochs: aligns them, runs the training-free building-change detector (or a user ONNX model), turns the change into polygons (minimum area in m²), attaches grid code, street and community, compares with permits, known and demolished violations, writes before/after chips and stores the candidates in the project's change_candidate layer.</source>
        <translation>对两期已登记的影像：先配准，再运行免训练的建筑变化检测（或用户提供的 ONNX 模型），把变化区域转为图斑（按最小面积，平方米），挂接单元网格编码、街道和社区，与规划许可、存量违建和已拆违建清单比对，生成前后期影像切片，并把图斑存入项目库的 change_candidate 图层。</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="138"/>
        <source>Earlier epoch (name)</source>
        <translation>前期时相（名称）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="139"/>
        <source>Later epoch (name)</source>
        <translation>后期时相（名称）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="140"/>
        <source>Work folder (rasters, chips)</source>
        <translation>工作文件夹（栅格、切片）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="141"/>
        <source>Resolution (m; 0 = the coarser epoch&apos;s)</source>
        <translation>分辨率（米；0 = 取较粗时相的分辨率）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="144"/>
        <source>Minimum area (m²)</source>
        <translation>最小面积（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="147"/>
        <source>ONNX model (optional)</source>
        <translation>ONNX 模型（可选）</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="149"/>
        <source>Permits</source>
        <translation>规划许可</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="153"/>
        <source>Write evidence chips</source>
        <translation>生成取证影像切片</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="154"/>
        <source>Candidates</source>
        <translation>图斑数</translation>
    </message>
    <message>
        <location filename="../processing/imagery_algorithms.py" line="176"/>
        <source>{count} candidates; lists: {lists}</source>
        <translation>{count} 个图斑；清单比对：{lists}</translation>
    </message>
</context>
</TS>

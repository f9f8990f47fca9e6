"""Request and response bodies: the public contract, and the source of the OpenAPI document."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from chalicelib.api.accepted import Accepted as Accepted
from chalicelib.api.accepted import Links as Links
from chalicelib.api.form import APPLICATION_EXAMPLE as APPLICATION_EXAMPLE
from chalicelib.api.form import AgentView as AgentView
from chalicelib.api.form import ApplicationIn as ApplicationIn
from chalicelib.api.form import BusinessIn as BusinessIn
from chalicelib.api.form import DeliveryIn as DeliveryIn
from chalicelib.api.form import DepartmentT as DepartmentT
from chalicelib.api.form import IdTypeT as IdTypeT
from chalicelib.api.form import ItemCodeT as ItemCodeT
from chalicelib.api.form import Out as Out
from chalicelib.api.form import SignatureView as SignatureView
from chalicelib.api.review import ItemReview
from chalicelib.domain.forms import In as In  # the request models' base, shared


class ItemView(Out):
    code: ItemCodeT
    name: str = Field(description="事项名称")
    status: str = Field(description="事项状态")
    department: DepartmentT
    due_date: date = Field(description="事项办结时限（洛阳本地日期）")
    result: dict[str, Any] = Field(
        description="办理结果：如证照编号、营业执照核验信息；不予办理时含稳定的 reason_code 与中文"
        " reason（如 licence.not_found 未登记、licence.not_active 已注销或吊销、"
        "licence.not_individual_business 非个体工商户、licence.outside_luoyang 登记机关不在洛阳市、"
        "licence.operator_mismatch 非登记经营者；创业补贴的 subsidy.not_first_startup 非首次创办、"
        "subsidy.employed_when_starting 创业时在机关事业或其他单位（企业）就业、"
        "subsidy.graduate_beyond_two_years 登记注册时离校超过2年、"
        "age.outside_working_age 登记注册时不在法定劳动年龄内）；"
        "申请人已持有就业创业证时 already_held 为 true，沿用原证号"
    )
    review: ItemReview | None = Field(
        default=None, description="审核提示：仅向办理该事项的部门人员显示"
    )


class HistoryEntry(Out):
    at: str = Field(description="时间（ISO-8601，+08:00）")
    type: str = Field(description="事件类型")
    actor: Literal["applicant", "clerk", "officer", "system", "admin"]
    item: str | None = Field(default=None, description="相关事项")
    detail: str = Field(description="说明")


class PersonalView(Out):
    """The applicant's personal data: in clear for the applicant and for officers whose items
    need it, masked for every other reader (docs/domain.md §10)."""

    name: str = Field(description="申请人姓名（无需使用者只见姓，如 张*）")
    id_type: IdTypeT = Field(description="证件类型")
    id_number: str = Field(description="证件号码（无需使用者脱敏，如 4103**********9018）")
    phone: str = Field(description="联系电话（无需使用者脱敏，如 138****8000）")
    subsidy_bank: str | None = Field(default=None, description="补贴发放银行（申领补贴时）")
    subsidy_account: str | None = Field(
        default=None, description="社会保障卡金融账户（无需使用者只见后四位，如 ****4567）"
    )
    masked: list[Literal["name", "id_number", "phone", "account"]] = Field(
        description="本次脱敏显示的字段"
    )


class CaseView(Out):
    id: str
    status: str = Field(
        description="办件状态：accepted / in_progress / completed / partially_completed / rejected"
    )
    channel: Literal["online", "window"] = Field(description="受理渠道：线上或综合受理窗口")
    county: str
    business: BusinessIn
    applicant: PersonalView
    agent: AgentView | None = Field(default=None, description="受委托人（窗口代办时）")
    signature: SignatureView | None = Field(default=None, description="签字确认（窗口受理）")
    data_sharing: bool | None = Field(
        default=None, description="申请人是否授权调取电子证照和共享数据（未记录时为 null）"
    )
    accepted_at: str = Field(description="受理时间（ISO-8601，+08:00）")
    due_date: date = Field(
        description="联办办结时限：所选事项中最晚的办结时限，至多受理后第 10 个工作日；所选事项均为"
        "即时办结时为受理当日（补正后重新计算）"
    )
    time_limit_working_days: int = Field(
        description="联办办理时限（工作日）：所选事项中最长者，至多 10；0 表示即时办结"
    )
    due_provisional: bool = Field(
        description="时限所在年份尚无官方节假日数据时为 true，数据到位后重算"
    )
    items: list[ItemView]
    history: list[HistoryEntry]


class CaseSummary(Out):
    id: str
    status: str
    channel: str
    county: str
    business_name: str
    items: list[str]
    accepted_at: str
    due_date: date


class CaseList(Out):
    applications: list[CaseSummary]


class Certificate(Out):
    number: str = Field(description="证照编号（营业执照为统一社会信用代码）")
    type: str = Field(
        description="证照类型：business_licence 营业执照（核验通过的本人营业执照）、"
        "employment_certificate 就业创业证、pension_registration 养老保险参保登记"
    )
    issued_on: date = Field(description="发证日期（营业执照为登记日期）")
    application_id: str = Field(description="首次核发或核验该证照的办件编号")
    name: str | None = Field(default=None, description="营业执照名称（仅营业执照）")
    uscc: str | None = Field(default=None, description="统一社会信用代码（仅营业执照）")
    registered_on: date | None = Field(default=None, description="登记日期（仅营业执照）")


class CertificateList(Out):
    certificates: list[Certificate]


class Task(Out):
    id: str = Field(description="待办编号（办件编号.事项代码）")
    application_id: str
    item: str
    status: Literal["pending", "decided", "failed"] = Field(
        description="pending 待审核 / decided 已审核 / failed 系统处理失败、待人工接手"
    )
    due_date: date
    item_status: str
    failure: str | None = Field(
        default=None,
        description="处理失败或等待部门系统的原因类别（timeout、unavailable、not_configured 等）",
    )
    review: ItemReview | None = Field(
        default=None,
        description="审核提示：需核实的提示与各条件的核验依据（如补贴申领、已达法定退休年龄的"
        "养老保险登记）",
    )


class TaskList(Out):
    tasks: list[Task]


class DecisionIn(In):
    """审核决定；对处理失败（failed）的事项即人工办理：须说明原因，通过时填写从部门取得的结果。"""

    approve: bool = Field(description="是否审核通过（或人工办结）")
    reason: str | None = Field(
        default=None,
        max_length=500,
        description="不通过的原因（不通过时必填）；人工办理处理失败的事项时必填（为何人工办理）",
    )
    result: (
        dict[
            Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")],
            Annotated[str, StringConstraints(min_length=1, max_length=100)],
        ]
        | None
    ) = Field(
        default=None,
        max_length=10,
        description='人工办结时从部门取得的结果，如 {"certificate_number": "…"}'
        "（发证事项必填证照编号）",
    )


class RetryIn(In):
    reason: str = Field(min_length=1, max_length=500, description="重试的原因（记入办件过程）")


class FieldError(Out):
    field: str = Field(description="出错字段（点分路径，如 applicant.id_number）")
    code: str = Field(description="稳定的错误代码")
    message: str = Field(description="中文说明")


class ProblemOut(Out):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError]
    instance: str | None = None


class Notification(Out):
    id: str
    type: str = Field(
        description="消息类型，如 subsidy_reminder、case_finished、rating_invitation（好差评邀请）"
    )
    application_id: str
    at: str = Field(description="时间（ISO-8601，+08:00）")
    read: bool
    text: str = Field(description="消息内容")
    sms: Literal["sent", "delivered", "failed", "held", "not_applicable"] | None = Field(
        description="短信：sent 已发出 / delivered 已送达 / failed 未发送或未送达 / held 等待发送"
        "（夜间免打扰、频率限制或重试）/ not_applicable 不发短信；null：尚未处理"
    )
    sms_reason: str | None = Field(description="短信状态的原因（中文），如未发送的原因")


class NotificationList(Out):
    notifications: list[Notification]


class Breach(Out):
    application_id: str
    item: str = Field(description="超期的事项代码；整个联办件超期时为 case")
    due_date: date
    flagged_at: str
    working_days_late: int = Field(description="截至目前已超期的工作日数")
    provisional: bool = Field(
        description="true：时限所在年份尚无官方节假日数据，仅暂定时限已过（flagged_at 为发现"
        "时间），不认定为超期、不通知申请人、不计入统计；该年数据载入、时限重算后按实际时限判断"
    )


class BreachList(Out):
    breaches: list[Breach]


class SubsidyClaimIn(In):
    materials: list[str] = Field(
        default_factory=list, max_length=20, description="补充材料（已上传对象的键）"
    )
    account_confirmed: bool = Field(description="确认补贴发放至申请表中的社会保障卡金融账户")


class SubsidyClaimOut(Out):
    application_id: str
    status: str = Field(description="claimed（待审核）或 rejected（不符合条件）")
    reason: str | None = None


class NoticeEntry(Out):
    """A line of the public notice (公示): masked, and no case id (it would link the public
    list to the case)."""

    name: str = Field(description="姓名（隐去名）")
    id_number: str = Field(description="证件号码（脱敏）")
    business_name: str
    amount: int = Field(description="补贴金额（元）")
    approved_on: date
    county: str


class SubsidyNotice(Out):
    notice: list[NoticeEntry]


class JobRun(Out):
    job: str
    at: str
    read: int = Field(description="读取的行数")
    changed: int = Field(description="本次改变的行数")
    notified: int
    skipped: int
    provisional: int = Field(
        description="deadline-breaches：暂定时限（该年尚无官方节假日数据）已过、仅列入部门超期预警"
        "而不算超期的行数"
    )


class CalendarYearIn(In):
    holidays: list[date] = Field(max_length=60, description="法定节假日（放假日）")
    workdays: list[date] = Field(max_length=20, description="调休上班日")
    source: str = Field(min_length=1, max_length=200, description="依据（国务院办公厅通知文号）")
    replace: bool = Field(
        default=False,
        description="该年份已有官方数据（内置或已载入）时须为 true 才会替换；旧版本保留可查",
    )


class CalendarYear(Out):
    year: int
    holidays: list[date]
    workdays: list[date]
    source: str
    loaded_at: str
    version: int = Field(description="版本号：每次载入为新版本，旧版本保留")
    loaded_by: str | None = Field(default=None, description="载入人（管理员编号）")


class CalendarYearVersions(Out):
    year: int
    versions: list[CalendarYear] = Field(description="该年份载入过的全部版本，按版本先后")


class AdminAction(Out):
    at: str = Field(description="时间（ISO-8601，+08:00）")
    action: str = Field(description="操作：run_job 手动运行任务 / put_calendar_year 载入节假日")
    target: str = Field(description="对象：任务名或年份")
    subject: str = Field(description="操作人（管理员编号）")
    request_id: str = Field(description="请求编号")
    detail: dict[str, Any] = Field(description="内容：任务的运行时间与结果，或载入的版本与依据")


class AdminActions(Out):
    actions: list[AdminAction] = Field(description="管理员的手动操作记录，最新在前")


class CalendarYears(Out):
    years: list[CalendarYear]

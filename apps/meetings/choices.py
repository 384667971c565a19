"""States and kinds of the branch meeting and its ballot, with Chinese labels and badge colours."""

from apps.core.choices import ChoiceSet, coloured


@coloured(PREPARING="blue", VOTING="orange", CONCLUDED="green", CANCELLED="grey")
class MeetingStatus(ChoiceSet):
    PREPARING = "preparing", "筹备（签到、候选人）"
    VOTING = "voting", "投票中"
    CONCLUDED = "concluded", "已产生推荐人选"
    CANCELLED = "cancelled", "已作废"


class VoteMethod(ChoiceSet):
    ELECTRONIC = "electronic", "电子投票（一次性投票码）"
    PAPER = "paper", "纸质选票（计票人、监票人录入）"


@coloured(PRESENT="green", ABSENT="orange", EXCUSED="grey")
class Presence(ChoiceSet):
    PRESENT = "present", "到会"
    ABSENT = "absent", "缺席"
    EXCUSED = "excused", "请假（不计入应到）"


@coloured(OPEN="orange", CLOSED="green", VOID="grey")
class RoundStatus(ChoiceSet):
    OPEN = "open", "投票进行中"
    CLOSED = "closed", "已计票"
    VOID = "void", "无效"


class Teller(ChoiceSet):
    COUNTER = "counter", "计票人"
    SCRUTINEER = "scrutineer", "监票人"

"""States of objections, with Chinese labels and badge colours."""

from apps.core.choices import ChoiceSet, coloured


@coloured(OPEN="orange", CONCLUDED="green")
class ObjectionStatus(ChoiceSet):
    OPEN = "open", "调查核实中"
    CONCLUDED = "concluded", "已办结"


@coloured(UPHELD="red", DISMISSED="green")
class Outcome(ChoiceSet):
    UPHELD = "upheld", "反映属实（撤销推荐）"
    DISMISSED = "dismissed", "反映不属实（维持推荐）"


class Channel(ChoiceSet):
    ONLINE = "online", "网上提交"
    LETTER = "letter", "来信"
    PHONE = "phone", "来电"
    VISIT = "visit", "来访"

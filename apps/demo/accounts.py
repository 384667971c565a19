"""The demo accounts (demo mode only). Passwords are public on purpose: the data is invented."""

from dataclasses import dataclass

DEMO_PASSWORD = "Demo-2026!"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    role_label: str
    org_label: str
    display_name: str
    password: str = DEMO_PASSWORD
    can_approve: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin", "admin", "系统管理员", "—", "系统管理员"),
    DemoAccount("town_office", "town_office", "镇党建办", "青山镇党委", "党建办 周文静"),
    DemoAccount("town_approver", "town_approver", "镇党委审批", "青山镇党委", "镇党委 林国栋"),
    DemoAccount("secretary", "branch_secretary", "支部书记", "青山村党委", "支部书记 陈春生"),
    DemoAccount("secretary2", "branch_secretary", "支部书记", "石桥村党支部", "支部书记 黄秀兰"),
    DemoAccount("inspector", "inspector", "督查组成员", "青山镇党委", "督查组 吴建平"),
    DemoAccount("county", "county_reviewer", "县委组织部", "云岭县委", "组织部 郑晓东"),
    # 白云镇's office holds the approval right too: its 参评名单 is on public notice (apps/demo/workflow.notice_progress).
    DemoAccount("town_office2", "town_office", "镇党建办（有审批权）", "白云镇党委", "党建办 刘海燕", can_approve=True),
]

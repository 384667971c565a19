from __future__ import annotations

from django import forms

from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination
from apps.villages.choices import VillageStatus
from apps.villages.models import VillageCandidate

from .sanitize import ALLOWED_TAGS


class StoryForm(forms.Form):
    title = forms.CharField(label="标题", max_length=80)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        help_text="空一行分段；可用简单格式：" + "、".join(f"<{t}>" for t in sorted(ALLOWED_TAGS)) + "，其他标记会被去掉。",
    )
    image = forms.FileField(label="图片（JPEG/PNG，可选）", required=False, help_text="上传后自动缩小并去除拍摄位置等信息。")
    nomination = forms.ModelChoiceField(label="关联示范岗", queryset=Nomination.objects.none(), required=False)
    village = forms.ModelChoiceField(label="关联示范村", queryset=VillageCandidate.objects.none(), required=False)

    def __init__(self, *args, town=None, **kwargs):
        super().__init__(*args, **kwargs)
        posts = Nomination.objects.filter(campaign__town=town, status=NominationStatus.COMMENDED, plaque_revocation__isnull=True)
        self.fields["nomination"].queryset = posts.select_related("member", "org")
        self.fields["nomination"].label_from_instance = lambda n: f"{n.member.name}（{n.org.name}）"
        villages = VillageCandidate.objects.filter(campaign__town=town, status=VillageStatus.APPROVED, revocation__isnull=True)
        self.fields["village"].queryset = villages.exclude(plaque_no="").select_related("org", "campaign")
        self.fields["village"].label_from_instance = lambda v: f"{v.org.name}（{v.campaign.year}年）"

"""The public face of a town (no login): current notices, the honour roll, stories. Phone first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from .honour import current_notices, honour_roll, public_town, published_stories
from .models import Story
from .share import share


@login_not_required
def public_home(request, town: int):
    town = public_town(town)
    today = timezone.localdate()
    notices = [{"notice": n, "phase": n.phase(today), "days_left": n.days_left(today)} for n in current_notices(town, today)]
    years = honour_roll(town)
    context = {
        "town": town,
        "notices": notices,
        "years": years,
        "stories": published_stories(town),
        **share(request, f"{town.name} · 共产党员示范行动", f"{town.name}共产党员示范岗、示范村光荣榜，公示与典型事迹。"),
    }
    return render(request, "publicity/public_home.html", context)


@login_not_required
def public_story(request, town: int, pk: int):
    town = public_town(town)
    story = (
        Story.objects.filter(town=town, pk=pk).published().select_related("nomination__member", "nomination__org", "village__org").first()
    )
    if story is None:
        raise Http404("未找到该事迹。")
    context = {"town": town, "story": story, **share(request, story.title, story.summary or story.title)}
    return render(request, "publicity/public_story.html", context)

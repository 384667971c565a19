"""The public face of a town (no login): current notices, the honour roll, stories. Phone first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST, require_safe

from apps.core.actions import refuse_unless
from apps.core.fetch import fetch
from apps.core.views_helpers import run_form
from apps.papers.render import PDF, disposition

from . import actions
from .forms import StoryForm
from .freshness import FRESH_SECONDS, cached, host_key, page_response, public_page, town_generation
from .honour import current_notices, honour_roll, public_town, published_stories
from .models import Story
from .poster import poster_pdf, story_poster_pdf
from .share import share


def _home_page(request, town_pk: int, today, year: int | None) -> bytes:
    """The public home as every visitor sees it (public data only): the honour roll of the latest year, or of
    `year`, with links to the other years (a phone shows one year's roll, not every year's)."""
    town = public_town(town_pk)
    years = honour_roll(town)
    shown = years[0] if years and year is None else next((y for y in years if y.year == year), None)
    if year is not None and shown is None:
        raise Http404("未找到该年度的光荣榜。")
    notices = [{"notice": n, "phase": n.phase(today), "days_left": n.days_left(today)} for n in current_notices(town, today)]
    context = {
        "town": town,
        "notices": notices,
        "years": years,
        "shown": shown,
        "stories": published_stories(town),
        **share(request, f"{town.name} · 共产党员示范行动", f"{town.name}共产党员示范岗、示范村光荣榜，公示与典型事迹。"),
    }
    return public_page("publicity/public_home.html", context)


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    if not raw:
        return None
    if not (raw.isdigit() and 2000 <= int(raw) <= 2100):
        raise Http404("未找到该年度的光荣榜。")
    return int(raw)


@login_not_required
@require_safe
def public_home(request, town: int):
    """Kept whole in the shared cache for a minute at most, per address, day (the countdowns) and year shown; a
    withdrawn nomination, a revoked plaque or a story published or taken down makes it stale at once."""
    today, year = timezone.localdate(), _year(request)
    key = f"publicity:home-page:{town}:{year or 'latest'}:{host_key(request)}:{today.isoformat()}"
    page = cached(key, [town_generation(town)], lambda: _home_page(request, town, today, year))
    return page_response(request, page)


def _pdf_response(filename: str, body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=PDF)
    response["Content-Disposition"] = disposition(filename, inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={FRESH_SECONDS}"
    return response


@login_not_required
@require_GET
def public_poster(request, town: int, size: str = "a4"):
    """The honour roll as a printable poster, A4 or A3."""
    town = public_town(town)
    return _pdf_response(*poster_pdf(town, request.build_absolute_uri(reverse("publicity:public_home", args=[town.pk])), size))


@login_not_required
@require_GET
def public_story_poster(request, town: int, pk: int, size: str):
    """A published story as a printable poster, A4 or A3, with a QR code of its public page."""
    story = (
        Story.objects.filter(town=public_town(town), pk=pk)
        .published()
        .select_related("town", "nomination__member", "nomination__org", "village__org")
        .first()
    )
    if story is None:
        raise Http404("未找到该事迹。")
    return _pdf_response(*story_poster_pdf(story, request.build_absolute_uri(story.public_path()), size))


def _image_response(story: Story) -> FileResponse:
    if not story.image:
        raise Http404("该事迹没有图片。")
    try:
        handle = story.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("该事迹没有图片。") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
@require_GET
def public_story_image(request, town: int, pk: int):
    """A published story's image (already resized and stripped of EXIF when it was uploaded)."""
    story = Story.objects.filter(town=public_town(town), pk=pk).published().first()
    if story is None:
        raise Http404("未找到该事迹。")
    response = _image_response(story)
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def story_image(request, pk: int):
    return _image_response(_story(request, pk))


@login_not_required
def public_story(request, town: int, pk: int):
    town = public_town(town)
    story = (
        Story.objects.filter(town=town, pk=pk).published().select_related("nomination__member", "nomination__org", "village__org").first()
    )
    if story is None:
        raise Http404("未找到该事迹。")
    context = {"town": town, "story": story, **share(request, story.title, story.summary or story.title)}
    if story.image:
        context["share_image"] = request.build_absolute_uri(reverse("publicity:public_story_image", args=[town.pk, story.pk]))
    return render(request, "publicity/public_story.html", context)


# --- the town's story pages (login) -------------------------------------------------------------------------------


def story_list(request):
    refuse_unless(actions.may_write(request.user) or request.user.is_county_reviewer, actions.DENIED)
    stories = Story.objects.visible_to(request.user).select_related("town", "org")
    town = request.user.town()
    return render(request, "publicity/story_list.html", {"stories": stories, "town": town, "may_write": actions.may_write(request.user)})


def story_new(request):
    refuse_unless(actions.may_write(request.user), actions.DENIED)
    town = request.user.town()
    form = StoryForm(*_bound(request), town=town)
    done = run_form(
        request,
        form,
        lambda d: actions.create_story(
            request.user, d["title"], d["body"], image=d.get("image"), nomination=d.get("nomination"), village=d.get("village")
        ),
        success="已保存为草稿。",
        redirect_to=lambda s: s.get_absolute_url(),
    )
    status = 422 if request.method == "POST" and form.errors else 200
    return done or render(request, "publicity/story_form.html", {"form": form, "story": None}, status=status)


def _story(request, pk: int) -> Story:
    return fetch(request.user, Story.objects.select_related("town", "org", "nomination__member", "village__org"), pk=pk)


def story_detail(request, pk: int, errors=None):
    story = _story(request, pk)
    user = request.user
    context = {
        "story": story,
        "errors": errors,
        "may_manage": user.manages_town,
        "edit_blockers": actions.edit_story_blockers(user, story),
        "submit_blockers": actions.submit_story_blockers(user, story),
        "publish_blockers": actions.publish_story_blockers(user, story),
        "unpublish_blockers": actions.unpublish_story_blockers(user, story),
        "is_secretary": user.is_branch_secretary,
    }
    return render(request, "publicity/story_detail.html", context, status=422 if errors else 200)


def story_edit(request, pk: int):
    story = _story(request, pk)
    refuse_unless(actions.may_write(request.user), actions.DENIED)
    initial = {"title": story.title, "body": story.body, "nomination": story.nomination, "village": story.village}
    form = StoryForm(*_bound(request), town=story.town, initial=initial)
    done = run_form(
        request,
        form,
        lambda d: actions.edit_story(
            request.user, story, d["title"], d["body"], image=d.get("image"), nomination=d.get("nomination"), village=d.get("village")
        ),
        success="已保存修改。",
        redirect_to=story.get_absolute_url(),
    )
    status = 422 if request.method == "POST" and form.errors else 200
    return done or render(request, "publicity/story_form.html", {"form": form, "story": story}, status=status)


def _transition(request, pk: int, action, success: str):
    story = _story(request, pk)
    try:
        action(request.user, story)
    except ValidationError as exc:
        return story_detail(request, pk, errors=list(exc.messages))
    messages.success(request, success)
    return redirect(story.get_absolute_url())


@require_POST
def story_submit(request, pk: int):
    return _transition(request, pk, actions.submit_story, "已报送镇党委审核。")


@require_POST
def story_publish(request, pk: int):
    return _transition(request, pk, actions.publish_story, "已发布，公众页面即可看到。")


@require_POST
def story_unpublish(request, pk: int):
    return _transition(request, pk, actions.unpublish_story, "已从公众页面撤下。")


def _bound(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)

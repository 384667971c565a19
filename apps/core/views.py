from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse


@login_not_required
def healthz(request):
    """A trivial response: load balancers' health check and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")

from django.conf import settings


def site(request):
    return {"SITE_NAME": "共产党员示范行动管理系统", "DEMO_MODE": settings.DEMO_MODE}

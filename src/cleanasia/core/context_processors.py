"""Values every page template needs."""

from django.conf import settings


def platform(request):
    from cleanasia.core.models import DemoDataset

    return {
        "SITE_NAME": settings.CLEANASIA_SITE_NAME,
        # One cheap query; the banner tells every reader that demo data is present.
        "DEMO_DATA_PRESENT": settings.CLEANASIA_DEMO_BANNER and DemoDataset.objects.exists(),
    }

from csp.middleware import CSPMiddleware
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils.cache import patch_cache_control


class EnTetesDeSecuriteMiddleware:
    """First in MIDDLEWARE, so that every response leaves with the security headers.

    A response made before the middleware that set them had run would go without: a bad
    Host is refused with a 400 by CommonMiddleware (or by SecurityMiddleware's HTTPS
    redirect), before CSPMiddleware and XFrameOptionsMiddleware. The headers come from
    those same middleware, which leave a header already set alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.poseurs = [
            SecurityMiddleware(get_response),
            XFrameOptionsMiddleware(get_response),
            CSPMiddleware(get_response),
        ]

    def __call__(self, request):
        response = self.get_response(request)
        for poseur in self.poseurs:
            response = poseur.process_response(request, response)
        return response


class SansCacheMiddleware:
    """No copy, in the browser or on the way, of a page shown to a signed-in user or of a
    downloaded file: both hold personal data that must not outlive the session.

    After AuthenticationMiddleware, which tells who is signed in; static files never get
    this far (WhiteNoise answers them first) and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or response.has_header("Content-Disposition"):
            patch_cache_control(response, no_store=True, private=True)
        return response

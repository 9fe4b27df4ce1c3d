"""Live updates and coverage keep revisions like articles do (django-reversion).
Imported by live/admin.py, which the admin loads before any request or command runs."""

import reversion

from .models import Coverage, Update

reversion.register(Coverage)
reversion.register(Update)

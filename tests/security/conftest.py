"""Fixtures of the security regressions: the Twilio fakes and the helpdesk's staff, borrowed by name."""
from tests.helpdesk.conftest import admin, agent  # noqa: F401  (fixtures, used by name)
from tests.twilio.conftest import cdn, fake_twilio, twilio, twilio_app  # noqa: F401

"""Flask extensions, created once here and bound to an app in create_app."""

from flask_babel import Babel

babel = Babel()

"""Extension objects, created unbound and bound to the app in create_app()."""
from __future__ import annotations

from flask_babel import Babel
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

from .coalesce import Coalescer
from .database import Database

db = Database()
socketio = SocketIO()
csrf = CSRFProtect()
babel = Babel()
coalescer = Coalescer()

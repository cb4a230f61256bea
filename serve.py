"""The app as served: app.py behind LoopbackOnly, so no HTTP request or WebSocket by a foreign name is answered.

`streamlit run serve.py` serves app.py as `streamlit run app.py` does, with one middleware in front: a request whose
Host or Origin is neither this machine nor a name in server.allowedHosts (.streamlit/config.toml) is refused before
any of the app answers (DNS rebinding; see proofing/local_host.py). Streamlit's own check covers the WebSocket only.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from proofing.local_host import LoopbackOnly

app = st.App(Path(__file__).resolve().parent / "app.py", middleware=[Middleware(LoopbackOnly)])

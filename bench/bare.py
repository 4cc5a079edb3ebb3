"""The reference of `make bench`: a one-route Flask app served by the same gunicorn.conf.py.

    gunicorn -c gunicorn.conf.py bench.bare:app
"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "Hello, World!"

"""The smallest Flask app: the yardstick `bench/run.py` holds the plan home against.

Served by gunicorn with the same gunicorn.conf.py as the real app, so the ratio of the two
shows what the app itself costs, not what the machine, gunicorn or wrk cost.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"

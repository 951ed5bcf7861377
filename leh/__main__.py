from leh.cli import app

app()

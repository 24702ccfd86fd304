from videocall.core.access import Rule

URL_ACCESS: dict[str, Rule] = {}

from videocall.core.access import Access, Rule

URL_ACCESS: dict[str, Rule] = {
    "readyz": Access.PUBLIC,
}

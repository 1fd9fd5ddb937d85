# mypy must reject this: the decorated function kept its signature.
import libbackoff


@libbackoff.on_exception(libbackoff.expo, ValueError)
def fetch(value: str) -> str:
    return value


fetch(3)

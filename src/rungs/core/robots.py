"""Group-robot messages for DingTalk, WeCom and Feishu: the request each expects, signed as its
documentation says. Pure functions (the worker sends them); a wrong signature is refused by the vendor,
so the algorithms are kept exactly as documented:

- DingTalk (钉钉自定义机器人, 加签): sign = base64(HMAC-SHA256(key=secret, msg=f"{timestamp_ms}\\n{secret}")),
  URL-encoded, appended to the webhook URL as &timestamp=…&sign=….
- Feishu (飞书自定义机器人, 签名校验): sign = base64(HMAC-SHA256(key=f"{timestamp_s}\\n{secret}", msg=b"")),
  sent in the JSON body with the timestamp.
- WeCom (企业微信群机器人): the key is part of the URL; nothing to sign."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any
from urllib.parse import quote_plus

KINDS = ("dingtalk", "wecom", "feishu")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def robot_request(kind: str, url: str, secret: str, text: str, now_s: float) -> tuple[str, bytes]:
    """The URL to POST to and the JSON body, for a text message sent at `now_s` (seconds since the epoch)."""
    body: dict[str, Any]
    if kind == "dingtalk":
        body = {"msgtype": "text", "text": {"content": text}}
        if secret:
            ms = int(now_s * 1000)
            url = f"{url}{'&' if '?' in url else '?'}timestamp={ms}&sign={quote_plus(dingtalk_sign(secret, ms))}"
    elif kind == "wecom":
        body = {"msgtype": "text", "text": {"content": text}}
    elif kind == "feishu":
        body = {"msg_type": "text", "content": {"text": text}}
        if secret:
            s = int(now_s)
            body = {"timestamp": str(s), "sign": feishu_sign(secret, s), **body}
    else:
        raise ValueError(f"unknown robot kind {kind!r}; expected one of {', '.join(KINDS)}")
    return url, json.dumps(body, ensure_ascii=False).encode()

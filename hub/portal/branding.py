"""An account's look in its portal: an uploaded logo (re-encoded, size-capped) or a generated initial badge."""

import hashlib
import io
from pathlib import Path

from flask import url_for
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from ..documents import storage
from ..errors import ValidationError
from ..extensions import db
from ..models import CustomerAccount, PortalBrand

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_BOX = (320, 320)
MAX_PIXELS = 40_000_000
BADGE_COLORS = ("#2f6fed", "#0f9d8a", "#c2570c", "#8e44ad", "#c0392b", "#2c7a3f", "#b7791f", "#3b5b92")
WELCOME_MAX = 1_000


def brand(account: CustomerAccount) -> PortalBrand | None:
    return db.session.get(PortalBrand, account.id)


def initial(account: CustomerAccount) -> str:
    return (account.name.strip() or "?")[:1]


def color_index(account: CustomerAccount) -> int:
    """A steady colour per account for its initial badge (CSS class `badge-cN`: no inline styles)."""
    return hashlib.sha256(account.name.encode()).digest()[0] % len(BADGE_COLORS)


def color(account: CustomerAccount) -> str:
    return BADGE_COLORS[color_index(account)]


def logo_url(account: CustomerAccount, row: PortalBrand | None = None, staff: bool = False) -> str | None:
    row = row if row is not None else brand(account)
    if row is None or not row.logo_path:
        return None
    version = hashlib.sha256(row.logo_path.encode()).hexdigest()[:8]
    if staff:
        return url_for("sharing.account_logo", account_id=account.id, v=version)
    return url_for("portal.logo", v=version)


def logo_file(account: CustomerAccount) -> Path | None:
    row = brand(account)
    if row is None or not row.logo_path:
        return None
    path = storage.resolve(row.logo_path)
    return path if path.exists() else None


def save_logo(account: CustomerAccount, upload) -> PortalBrand:
    """Check an uploaded image, shrink it into a PNG of at most 320x320 and make it the account's logo."""
    if upload is None or not getattr(upload, "filename", ""):
        raise ValidationError(_("Choose an image file."))
    data = upload.stream.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 2 MB."))
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in ("PNG", "JPEG", "GIF", "WEBP"):
                raise ValidationError(_("The logo must be a PNG, JPEG, GIF or WebP image."))
            if img.width * img.height > MAX_PIXELS:
                raise ValidationError(_("The image is too large."))
            img.load()
            img = img.convert("RGBA")
            img.thumbnail(LOGO_BOX)
            out = io.BytesIO()
            img.save(out, "PNG")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        raise ValidationError(_("This file is not an image we can read.")) from None
    png = out.getvalue()
    rel = f"portal/logos/{int(account.id)}-{hashlib.sha256(png).hexdigest()[:16]}.png"
    storage.write_atomic(storage.root() / rel, png)
    row = brand(account) or PortalBrand(account_id=account.id)
    old = row.logo_path
    row.logo_path = rel
    db.session.add(row)
    db.session.commit()
    if old and old != rel:
        try:
            storage.resolve(old).unlink()
        except (FileNotFoundError, ValueError):
            pass
    return row


def set_welcome(account: CustomerAccount, text: str) -> PortalBrand:
    text = (text or "").strip()
    if len(text) > WELCOME_MAX:
        raise ValidationError(_("The welcome text may have at most %(n)d characters.", n=WELCOME_MAX))
    row = brand(account) or PortalBrand(account_id=account.id)
    row.welcome = text
    db.session.add(row)
    db.session.commit()
    return row


def update(account: CustomerAccount, upload=None, welcome: str | None = None) -> None:
    """The staff form: a new logo when one was uploaded, the welcome text when it was sent (each commits)."""
    if upload is not None:
        save_logo(account, upload)
    if welcome is not None:
        set_welcome(account, welcome)

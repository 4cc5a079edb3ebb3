"""WTForms' and Flask-WTF's own messages in the user's language.

WTForms ships no Indonesian catalogue, and its messages are English msgids, so
they cannot go through the app's catalogue (whose msgids are Indonesian): this
is the ``wtforms`` domain's Indonesian catalogue. In English the originals are
shown as they are.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import get_locale

INDONESIAN: dict[str, str] = {
    "Invalid field name '%s'.": "Nama isian '%s' tidak sah.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Field must be at least %(min)d character long.": "Panjang isian minimal %(min)d karakter.",
    "Field must be at least %(min)d characters long.": "Panjang isian minimal %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Panjang isian maksimal %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Panjang isian maksimal %(max)d karakter.",
    "Field must be exactly %(max)d character long.": "Panjang isian harus tepat %(max)d karakter.",
    "Field must be exactly %(max)d characters long.": "Panjang isian harus tepat %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Panjang isian harus antara %(min)d dan %(max)d karakter.",
    "Number must be at least %(min)s.": "Angka paling kecil %(min)s.",
    "Number must be at most %(max)s.": "Angka paling besar %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Angka harus antara %(min)s dan %(max)s.",
    "Date must be at least %(min)s.": "Tanggal paling awal %(min)s.",
    "Date must be at most %(max)s.": "Tanggal paling akhir %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Tanggal harus antara %(min)s dan %(max)s.",
    "This field is required.": "Wajib diisi.",
    "Invalid input.": "Isian tidak sah.",
    "Invalid email address.": "Alamat email tidak sah.",
    "Invalid IP address.": "Alamat IP tidak sah.",
    "Invalid Mac address.": "Alamat MAC tidak sah.",
    "Invalid URL.": "Alamat URL tidak sah.",
    "Invalid UUID.": "UUID tidak sah.",
    "Invalid value, must be one of: %(values)s.": "Nilai tidak sah; harus salah satu dari: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Nilai tidak sah; tidak boleh salah satu dari: %(values)s.",
    "This field cannot be edited.": "Isian ini tidak dapat diubah.",
    "This field is disabled and cannot have a value.": "Isian ini nonaktif dan tidak boleh diisi.",
    "Invalid CSRF Token.": "Formulir tidak sah. Muat ulang halaman lalu kirim lagi.",
    "CSRF token missing.": "Formulir tidak lengkap. Muat ulang halaman lalu kirim lagi.",
    "CSRF failed.": "Formulir tidak sah. Muat ulang halaman lalu kirim lagi.",
    "CSRF token expired.": "Formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi.",
    "Invalid Choice: could not coerce.": "Pilihan tidak sah.",
    "Choices cannot be None.": "Belum ada pilihan.",
    "Not a valid choice.": "Bukan pilihan yang sah.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Ada pilihan yang tidak sah.",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' bukan pilihan yang sah untuk isian ini.",
    "'%(value)s' are not valid choices for this field.": "'%(value)s' bukan pilihan yang sah untuk isian ini.",
    "Not a valid datetime value.": "Bukan tanggal dan waktu yang sah.",
    "Not a valid date value.": "Bukan tanggal yang sah (YYYY-MM-DD).",
    "Not a valid time value.": "Bukan waktu yang sah.",
    "Not a valid week value.": "Bukan minggu yang sah.",
    "Not a valid integer value.": "Bukan bilangan bulat yang sah.",
    "Not a valid decimal value.": "Bukan angka yang sah.",
    "Not a valid float value.": "Bukan angka yang sah.",
    # Flask-WTF's CSRF check (raised untranslated; the form translates them).
    "The CSRF token is missing.": "Formulir tidak lengkap. Muat ulang halaman lalu kirim lagi.",
    "The CSRF session token is missing.": "Sesi formulir tidak ditemukan. Muat ulang halaman lalu kirim lagi.",
    "The CSRF token is invalid.": "Formulir tidak sah. Muat ulang halaman lalu kirim lagi.",
    "The CSRF token has expired.": "Formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi.",
    "The CSRF tokens do not match.": "Formulir tidak sah. Muat ulang halaman lalu kirim lagi.",
    "The referrer header is missing.": "Asal formulir tidak diketahui. Muat ulang halaman lalu kirim lagi.",
    "The referrer does not match the host.": "Formulir dikirim dari situs lain dan ditolak.",
}


def in_indonesian() -> bool:
    locale = get_locale() if has_app_context() else None
    if locale is None:
        return not has_app_context() or current_app.config.get("BABEL_DEFAULT_LOCALE", "id") == "id"
    return locale.language == "id"


def translate(message: str) -> str:
    return INDONESIAN.get(message, message) if in_indonesian() else message


class FormMessages:
    """The ``translations`` object WTForms asks (``Meta.get_translations``)."""

    def gettext(self, string: str) -> str:
        return translate(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translate(singular if n == 1 else plural)


form_messages = FormMessages()

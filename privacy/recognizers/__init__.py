"""One Presidio recognizer class per entity (instantiated once per language by the Redactor)."""

from privacy.recognizers.address import AddressRecognizer
from privacy.recognizers.bank_account import BankAccountRecognizer
from privacy.recognizers.email import EmailRecognizer
from privacy.recognizers.national_id import NationalIdRecognizer
from privacy.recognizers.person import PersonRecognizer
from privacy.recognizers.phone import PhoneRecognizer

RECOGNIZERS = (NationalIdRecognizer, BankAccountRecognizer, PhoneRecognizer, EmailRecognizer,
               AddressRecognizer, PersonRecognizer)

__all__ = ["RECOGNIZERS", "AddressRecognizer", "BankAccountRecognizer", "EmailRecognizer",
           "NationalIdRecognizer", "PersonRecognizer", "PhoneRecognizer"]

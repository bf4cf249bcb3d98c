"""One Presidio recognizer class per entity (instantiated once per language by the Redactor).

Class names start with "Nordic": Presidio's default registry looks its predefined recognizers up
by class name among all EntityRecognizer subclasses, so a class of ours called "PhoneRecognizer"
would be picked in place of Presidio's own (this broke the Presidio baseline in the evaluation)."""

from privacy.recognizers.address import NordicAddressRecognizer
from privacy.recognizers.bank_account import NordicBankAccountRecognizer
from privacy.recognizers.birth_date import NordicBirthDateRecognizer
from privacy.recognizers.email import NordicEmailRecognizer
from privacy.recognizers.national_id import NordicNationalIdRecognizer
from privacy.recognizers.person import NordicPersonRecognizer
from privacy.recognizers.phone import NordicPhoneRecognizer

RECOGNIZERS = (NordicNationalIdRecognizer, NordicBankAccountRecognizer, NordicPhoneRecognizer,
               NordicEmailRecognizer, NordicBirthDateRecognizer, NordicAddressRecognizer, NordicPersonRecognizer)

__all__ = ["RECOGNIZERS", "NordicAddressRecognizer", "NordicBankAccountRecognizer", "NordicBirthDateRecognizer",
           "NordicEmailRecognizer",
           "NordicNationalIdRecognizer", "NordicPersonRecognizer", "NordicPhoneRecognizer"]

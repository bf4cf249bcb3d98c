"""German function words, shared by the redactor's language guess (privacy.redactor.guess_language: a German
text is read with the English rules) and the person recognizer (privacy.recognizers.person: a German
sentence capitalises every noun). One light module, so that the redactor need not import the recognizers
(and Presidio) to guess a language. Words shared with a Scandinavian language are left out ("den", "mit",
"man", "var", "hat")."""

DE_FUNCTION_WORDS = frozenset(
    "ich und ist sind nicht die das der dem des ein eine einen einem einer wir sie ihre ihr ihnen "
    "für auf wann wie wo bitte danke vielen können kann habe haben möchte möchten würde gibt es auch "
    "oder aber noch schon sehr im vom zum zur bei nach ob dass wenn weil unsere unser meine mein "
    "meinen meiner geehrte geehrter grüße grüßen freundlichen wohnen wohne bin".split())

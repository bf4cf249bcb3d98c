"""the national system texts "acknowledged", "languages" and "capabilities" (bot/smalltalk.py)

Revision ID: b2d4f6a8c0e1
Revises: a7c3e5f9b1d2
Create Date: 2026-12-07 23:15:00

A data migration, no schema change, as a7c3e5f9b1d2: an installation that loaded the national KB content
before these texts existed gets their national rows (the same texts as kb/content/national/system.yml); a
municipality's own text and an existing national row are left as they are. Without them the bot goes on as
before for these messages (a bare "ok" or "snakker du engelsk?" goes to the classifier). Downgrade removes the
national rows.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b2d4f6a8c0e1'
down_revision = 'a7c3e5f9b1d2'
branch_labels = None
depends_on = None

TEXTS = {
    ("acknowledged", "nb"):
        "Greit! Skriv gjerne hvis det er noe mer du lurer på.",
    ("acknowledged", "nn"):
        "Greitt! Skriv gjerne om det er noko meir du lurer på.",
    ("acknowledged", "sv"):
        "Okej! Skriv gärna om det är något mer du undrar över.",
    ("acknowledged", "da"):
        "Fint! Skriv endelig, hvis der er mere, du gerne vil vide.",
    ("acknowledged", "fi"):
        "Selvä! Kirjoita, jos haluat kysyä vielä jotain.",
    ("acknowledged", "en"):
        "All right! Just write if there is anything else you would like to know.",
    ("languages", "nb"):
        "Jeg svarer på bokmål, nynorsk, svensk, dansk, finsk og engelsk. Skriv spørsmålet ditt på et av disse språkene, så svarer jeg på samme språk.",
    ("languages", "nn"):
        "Eg svarar på bokmål, nynorsk, svensk, dansk, finsk og engelsk. Skriv spørsmålet ditt på eitt av desse språka, så svarar eg på same språket.",
    ("languages", "sv"):
        "Jag svarar på norska (bokmål och nynorska), svenska, danska, finska och engelska. Skriv din fråga på något av de språken, så svarar jag på samma språk.",
    ("languages", "da"):
        "Jeg svarer på norsk (bokmål og nynorsk), svensk, dansk, finsk og engelsk. Skriv dit spørgsmål på et af de sprog, så svarer jeg på samme sprog.",
    ("languages", "fi"):
        "Vastaan norjaksi (bokmål ja nynorsk), ruotsiksi, tanskaksi, suomeksi ja englanniksi. Kirjoita kysymyksesi jollakin näistä kielistä, niin vastaan samalla kielellä.",
    ("languages", "en"):
        "I answer in Norwegian (bokmål and nynorsk), Swedish, Danish, Finnish and English. Write your question in any of these languages and I will answer in the same language.",
    ("capabilities", "nb"):
        "Jeg svarer på vanlige spørsmål om tjenestene til {municipality.name}, for eksempel barnehage og SFO, skole, avfall og gjenvinning, vann og avløp, eiendomsskatt, byggesøknader, parkering, sykehjem og hjemmetjenester, fastlege og legevakt, bibliotek og svømmehall. Skriv spørsmålet med dine egne ord. Gjelder det din egen sak, sender jeg det videre til en saksbehandler.",
    ("capabilities", "nn"):
        "Eg svarar på vanlege spørsmål om tenestene til {municipality.name}, til dømes barnehage og SFO, skule, avfall og gjenvinning, vatn og avløp, eigedomsskatt, byggjesøknader, parkering, sjukeheim og heimetenester, fastlege og legevakt, bibliotek og symjehall. Skriv spørsmålet med dine eigne ord. Gjeld det di eiga sak, sender eg det vidare til ein sakshandsamar.",
    ("capabilities", "sv"):
        "Jag svarar på vanliga frågor om tjänsterna i {municipality.name}, till exempel förskola och fritids, skola, avfall och återvinning, vatten och avlopp, fastighetsskatt, bygglov, parkering, äldreboende och hemtjänst, läkare och jour, bibliotek och simhall. Skriv din fråga med egna ord. Gäller det ditt eget ärende skickar jag det vidare till en handläggare.",
    ("capabilities", "da"):
        "Jeg svarer på almindelige spørgsmål om tjenesterne i {municipality.name}, for eksempel børnehave og SFO, skole, affald og genbrug, vand og kloak, ejendomsskat, byggetilladelser, parkering, plejehjem og hjemmehjælp, læge og lægevagt, bibliotek og svømmehal. Skriv dit spørgsmål med dine egne ord. Drejer det sig om din egen sag, sender jeg det videre til en sagsbehandler.",
    ("capabilities", "fi"):
        "Vastaan tavallisiin kysymyksiin kunnan palveluista ({municipality.name}), esimerkiksi päiväkodista ja iltapäiväkerhosta, koulusta, jätehuollosta ja kierrätyksestä, vesi- ja jätevesimaksuista, kiinteistöverosta, rakennusluvista, pysäköinnistä, hoivakodeista ja kotihoidosta, lääkäristä ja päivystyksestä, kirjastosta ja uimahallista. Kirjoita kysymyksesi omin sanoin. Jos kysymys koskee omaa asiaasi, välitän sen käsittelijälle.",
    ("capabilities", "en"):
        "I answer common questions about the services of {municipality.name}, for example kindergarten and after-school care, school, waste and recycling, water and sewage, property tax, building permits, parking, nursing homes and home care, GP and emergency doctor, library and swimming pool. Write your question in your own words. If it is about your own case, I pass it on to a caseworker.",
}
_TABLE = sa.table("kb_system_text", sa.column("municipality_id", sa.Integer), sa.column("key", sa.String),
                  sa.column("lang", sa.String), sa.column("text", sa.Text))


def upgrade():
    conn = op.get_bind()
    keys = sorted({key for key, _ in TEXTS})
    have = {tuple(row) for row in conn.execute(sa.select(_TABLE.c.key, _TABLE.c.lang).where(
        _TABLE.c.key.in_(keys), _TABLE.c.municipality_id.is_(None)))}
    rows = [{"municipality_id": None, "key": key, "lang": lang, "text": text}
            for (key, lang), text in TEXTS.items() if (key, lang) not in have]
    if rows:
        conn.execute(_TABLE.insert(), rows)


def downgrade():
    keys = sorted({key for key, _ in TEXTS})
    op.get_bind().execute(_TABLE.delete().where(_TABLE.c.key.in_(keys), _TABLE.c.municipality_id.is_(None)))

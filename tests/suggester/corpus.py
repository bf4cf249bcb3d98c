"""A small synthetic KB of the fictional "Testvik kommune", written for these tests.

Norwegian bokmål articles, a Swedish and an English version of one topic, and nynorsk, with
fictional phone numbers (00 00 xx xx) and no real people.
"""

from __future__ import annotations

from suggester import Document

ARTICLES = [
    Document(id="kb-waste-nb", lang="nb", intent="waste_collection", department="teknisk",
             url="https://testvik.example/avfall", title="Når hentes avfallet?",
             text="Restavfall og matavfall hentes annenhver uke i hele Testvik kommune. Papp og papir hentes "
                  "hver fjerde uke. Hentekalenderen for din adresse finner du på nettsiden vår. Dunken må stå "
                  "ved veien før klokken 07.00 på hentedagen."),
    Document(id="kb-waste-sv", lang="sv", intent="waste_collection", department="teknisk",
             url="https://testvik.example/sv/avfall", title="När hämtas soporna?",
             text="Restavfall och matavfall hämtas varannan vecka i hela Testvik kommun. Papp och papper hämtas "
                  "var fjärde vecka. Hämtkalendern för din adress finns på vår webbplats. Kärlet ska stå vid "
                  "vägen före klockan 07.00 på hämtdagen."),
    Document(id="kb-kindergarten-apply", lang="nb", intent="kindergarten_apply", department="oppvekst",
             url="https://testvik.example/barnehage/soknad", title="Hvordan søker jeg barnehageplass?",
             text="Du søker barnehageplass digitalt på kommunens nettside. Søknadsfristen for hovedopptaket er "
                  "1. mars. Barn som har rett til plass, får tilbud innen august. Du kan søke om plass i løpet "
                  "av året også, men da er det ikke sikkert det er ledig."),
    Document(id="kb-kindergarten-quit", lang="nb", intent="kindergarten_quit", department="oppvekst",
             url="https://testvik.example/barnehage/oppsigelse", title="Hvordan sier jeg opp barnehageplassen?",
             text="Barnehageplassen sies opp skriftlig med to måneders varsel, regnet fra den første i måneden. "
                  "Oppsigelsen sender du via skjemaet «Oppsigelse av barnehageplass». Du betaler for plassen "
                  "ut oppsigelsestiden. Plasser sagt opp etter 1. april må betales ut juni."),
    Document(id="kb-sfo-price", lang="nb", intent="sfo_price", department="oppvekst",
             url="https://testvik.example/sfo/pris", title="Hva koster SFO?",
             text="Full plass i SFO koster 3 100 kroner i måneden, halv plass koster 1 900 kroner. "
                  "Søsken får 30 prosent moderasjon. Familier med lav inntekt kan søke om redusert "
                  "foreldrebetaling. Kost kommer i tillegg med 300 kroner i måneden."),
    Document(id="kb-property-tax", lang="nb", intent="property_tax", department="okonomi",
             url="https://testvik.example/eiendomsskatt", title="Eiendomsskatt",
             text="Eiendomsskatten i Testvik er 2 promille av takstgrunnlaget. Skatten betales i fire terminer "
                  "sammen med de kommunale avgiftene. Du kan klage på taksten innen seks uker etter at "
                  "skatteseddelen er sendt ut."),
    Document(id="kb-building", lang="nb", intent="building_permit", department="teknisk",
             url="https://testvik.example/byggesak", title="Må jeg søke om å bygge garasje?",
             text="Garasje eller uthus under 50 kvadratmeter kan ofte bygges uten søknad, så lenge det står "
                  "minst én meter fra nabogrensen og ikke brukes til beboelse. Større bygg krever byggesøknad. "
                  "Ta kontakt med byggesaksavdelingen på telefon 00 00 12 34 hvis du er usikker."),
    Document(id="kb-library", lang="nb", intent="library_hours", department="kultur",
             url="https://testvik.example/bibliotek", title="Åpningstider på biblioteket",
             text="Testvik bibliotek er åpent mandag til fredag fra 10 til 19 og lørdag fra 11 til 15. "
                  "Med lånekort kan du bruke det meråpne biblioteket alle dager fra 07 til 22. Lånetiden er "
                  "fire uker for bøker."),
    Document(id="kb-pool", lang="nb", intent="swimming_pool", department="kultur",
             url="https://testvik.example/svommehall", title="Priser i svømmehallen",
             text="Enkeltbillett i Testvik svømmehall koster 80 kroner for voksne og 40 kroner for barn. "
                  "Et klippekort med ti bad koster 650 kroner. Barn under seks år bader gratis sammen med en voksen."),
    Document(id="kb-water-leak", lang="nb", intent="water_leak", department="teknisk",
             url="https://testvik.example/vannlekkasje", title="Melde vannlekkasje",
             text="Ser du vann som renner opp fra bakken eller mistenker lekkasje på det kommunale vannettet, "
                  "ring vakttelefonen på 00 00 99 99. Vakttelefonen er betjent hele døgnet. Lekkasjer inne i "
                  "ditt eget hus må du få en rørlegger til å se på."),
    Document(id="kb-gp", lang="nn", intent="change_gp", department="helse",
             url="https://testvik.example/fastlege", title="Korleis byter eg fastlege?",
             text="Du byter fastlege på helsenorge.no eller ved å ringje Fastlegetenesta. Du kan byte inntil "
                  "to gonger i året. Byttet gjeld frå den første i månaden etter."),
    Document(id="kb-snow-en", lang="en", intent="snow_clearing", department="teknisk",
             url="https://testvik.example/en/snow", title="Snow clearing on municipal roads",
             text="The municipality clears snow on municipal roads when more than ten centimetres have fallen. "
                  "Main roads and bus routes are cleared first. Pavements are gritted in the morning before "
                  "7 am on school days."),
]

# (question, lang, expected article id) — paraphrases written for the tests, not KB text.
PARAPHRASES = [
    ("når kommer søppelbilen og tømmer dunken?", "nb", "kb-waste-nb"),
    ("hvordan søke plass i barnehage til sønnen min", "nb", "kb-kindergarten-apply"),
    ("vi flytter, hvordan avslutter vi barnehageplassen", "nb", "kb-kindergarten-quit"),
    ("pris halv plass sfo", "nb", "kb-sfo-price"),
    ("hvor mye er eiendomsskatten og når skal den betales", "nb", "kb-property-tax"),
    ("trenger jeg tillatelse for å sette opp en garasje på 30 kvm", "nb", "kb-building"),
    ("når er biblioteket åpent på lørdag", "nb", "kb-library"),
    ("hva koster det å bade i svommehallen", "nb", "kb-pool"),
    ("det renner vann opp av asfalten i gata vår", "nb", "kb-water-leak"),
    ("how much does a swimming pool ticket cost for kids?", "en", "kb-pool"),
    ("när töms soptunnan?", "sv", "kb-waste-sv"),
    ("hur ansöker man om förskoleplats?", "sv", "kb-kindergarten-apply"),
]

UNRELATED = [
    ("Hvem vant fotball-VM i 1998?", "nb"),
    ("Can you recommend a good pasta recipe with mushrooms?", "en"),
]

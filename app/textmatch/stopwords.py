"""Stop words per language: words that say nothing about a competence ("de", "the", "és"), plus the words
every element of a standard repeats ("beroepsbeoefenaar", "kennis", "competence")."""

from __future__ import annotations

_NL = """
aan af al alle alleen als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens
en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon
kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds
te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf
zich zij zijn zo zonder zou zoals onder andere etc enz hierbij hiervan waarbij waarin welke elk elke
beroepsbeoefenaar beginnend beroepsbeoefenaars kennis heeft gebruik waar binnen tussen per via
"""

_EN = """
a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
out over own same she should so some such than that the their them then there these they this those through to
too under until up very was we were what when where which while who whom why will with would you your e.g
i.e etc including ensures ensure able using use uses used within across also
"""

_HU = """
a az és is egy hogy nem de meg mint ha el ki be fel le vagy illetve valamint azt ez ezt azok ezek annak ennek
amely amelyek ami amik aki akik mely melyek minden mind csak már még sem pedig vagyis továbbá például stb
által során szerint között után előtt alatt felett mellett révén érdekében céljából kell lehet van vannak
volt lesz legyen képes képesek szerint szintén oly olyan módon azon ezen arra erre arról erről abban ebben
online közösségi menedzser
"""

BY_LANGUAGE: dict[str, frozenset[str]] = {
    "nl": frozenset(_NL.split()),
    "en": frozenset(_EN.split()),
    "hu": frozenset(_HU.split()),
}

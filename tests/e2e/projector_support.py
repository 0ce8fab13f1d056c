"""A real room for the projector's tests: 30 people and 60 notes (Swedish, as people write them),
played in through the protocol, and what a person in the back row can read measured in the page."""
from __future__ import annotations

from typing import Any

QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")

NOTES = {
    "strengths": [
        "Kort väg mellan förvaltningarna när det brinner i knutarna",
        "Beroendemottagningen och socialtjänsten har gemensamma ärendedragningar varje vecka",
        "Brukarorganisationerna bjuds in tidigt och får vara med på riktigt",
        "Boendestödet känner personerna väl och märker tidigt när något är på väg att hända",
        "Samordningsförbundet finansierar gemensamma utbildningar för region och kommun",
        "Sprutmottagningen når personer som inte har någon annan kontakt med vården",
        "Länsöverenskommelsen ger ett gemensamt språk och en tydlig grund",
        "Hälsocentralerna har fått fler psykologer och kuratorer",
        "Civilsamhället finns där på kvällar och helger när andra har stängt",
        "Engagerade medarbetare som vill samverka",
        "Anhörigstödet i kommunen är uppskattat och välbesökt",
        "Vi har en fungerande samordnad individuell plan i flera kommuner",
        "Stark tradition av arbetsplatsförlagt lärande inom psykiatrin",
        "Ungdomsmottagningarna har långa öppettider",
        "Peer-stödjare med egen erfarenhet finns i två verksamheter",
    ],
    "weaknesses": [
        "SIP kallas ofta för sent – först när det redan har blivit kris",
        "Man måste vara drogfri för att få hjälp med sin psykiska ohälsa",
        "Vi dokumenterar i olika journalsystem och ser inte varandras planer",
        "Anhöriga vet inte vem de ska ringa när det blir kris",
        "Polisen hanterar människor i psykisk kris nattetid utan stöd från vården",
        "Små kommuner har svårt att rekrytera socionomer med erfarenhet av beroende",
        "Avstånden i inlandet gör att insatserna samlas i Gävle",
        "Långa väntetider till neuropsykiatrisk utredning",
        "Personalomsättningen gör att relationer och kunskap försvinner",
        "Ingen ansvarar för helheten när personen har flera diagnoser",
        "Sekretessen används som skäl att inte prata med varandra",
        "Uppföljningen efter utskrivning från slutenvården brister",
        "Kommunikationen mellan förvaltningarna är personberoende",
        "För få boenden för personer med samsjuklighet",
        "Brukarnas erfarenheter tas inte tillvara i verksamhetsutvecklingen",
    ],
    "opportunities": [
        "Integrerade mottagningar för samsjuklighet, till exempel enligt IDDT-modellen",
        "IPS – individanpassat stöd till arbete – redan från första kontakten",
        "Anställa personer med egen erfarenhet som peer-stödjare i teamen",
        "Elevhälsan och ungdomsmottagningen kan fånga upp unga tidigare",
        "Gemensam introduktion i SIP för alla nyanställda i region och kommun",
        "Planera boende och behandling före frigivningen i stället för efter",
        "Digitala SIP-möten gör det lättare för fler att delta",
        "Lågtröskelmottagning utan tidsbokning i centrala Gävle",
        "Gemensamma utbildningsdagar för hela länet varje höst",
        "Den nya lagen om samordnad vård ger oss ett mandat att arbeta tillsammans",
        "Mobila team som kan åka ut på kvällar och helger",
        "Brukarrevisioner som återkommande del av uppföljningen",
        "Forskningssamarbete med högskolan om tidiga insatser",
        "Samlokalisering av socialtjänstens och psykiatrins öppenvård",
        "Gemensam statistik över vårdkedjan för hela länet",
    ],
    "threats": [
        "Personer långt från arbetsmarknaden faller mellan Försäkringskassan, Arbetsförmedlingen och kommunen",
        "Hög personalomsättning gör att relationer och kunskap försvinner",
        "Narkotika är lättare att få tag på för unga, inte minst via sociala medier",
        "Sparbeting i region och kommuner gör att samverkan riskerar att strykas först",
        "Bostadsbristen gör att personer skrivs ut till ingenting",
        "Stigmat gör att många inte söker hjälp förrän det är akut",
        "Projektpengar tar slut och arbetssätt som fungerar läggs ner",
        "Kompetensförsörjningen inom psykiatrin är sårbar",
        "Ökad psykisk ohälsa bland unga efter pandemin",
        "Otydliga ansvarsgränser mellan huvudmännen leder till att ingen tar ansvar",
        "Digitaliseringen lämnar de som saknar bank-id utanför",
        "Politiska beslut som ändrar prioriteringar mitt i arbetet",
        "Ett långt inlägg om hur organisationsförändringar i förvaltningarna gång på gång har gjort att "
        "samverkansöverenskommelser, kontaktvägar och gemensamma rutiner har fått börja om från början, "
        "vilket gör att personerna som behöver stöd från flera huvudmän samtidigt får berätta sin historia "
        "om och om igen för nya handläggare som inte känner till vad som redan har prövats",
        "Langningen av tabletter ökar i länet",
        "Tystnadskultur kring missbruk på arbetsplatser",
    ],
}

THEMES = {
    "Samsjuklighet och integrerad vård": [("weaknesses", 1), ("weaknesses", 9), ("opportunities", 0), ("opportunities", 13)],
    "Samordnad individuell plan (SIP) i tid": [("weaknesses", 0), ("opportunities", 4), ("opportunities", 6), ("strengths", 11)],
    "Brukar- och anhörigmedverkan": [("strengths", 2), ("weaknesses", 14), ("opportunities", 11), ("strengths", 10),
                                     ("weaknesses", 3)],
    "Kompetens och personalomsättning": [("weaknesses", 5), ("weaknesses", 8), ("threats", 1), ("threats", 7)],
    "Boende, arbete och försörjning": [("threats", 0), ("threats", 4), ("opportunities", 1), ("opportunities", 5)],
    "Unga och tidiga insatser": [("opportunities", 3), ("threats", 8), ("strengths", 13), ("opportunities", 12)],
    "Långsiktig finansiering": [("threats", 3), ("threats", 6), ("strengths", 4)],
    "Information och journalsystem": [("weaknesses", 2), ("weaknesses", 10), ("opportunities", 14)],
}

NAMES = ["Anna", "Bengt", "Cecilia", "David", "Eva", "Fredrik", "Gunilla", "Hassan", "Ingrid", "Jonas", "Karin",
         "Lars", "Maria", "Nils", "Olivia", "Per", "Rebecka", "Sara", "Tomas", "Ulla", "Viktor", "Yasmin",
         "Åsa", "Örjan", "Amir", "Birgitta", "Carl", "Dalia", "Erik", "Fatima"]
ORGANISATIONS = ["Region Gävleborg", "Gävle kommun", "Sandvikens kommun", "Hudiksvalls kommun", "Brukarföreningen"]


def play_room(room, people: int = 30) -> dict[str, Any]:
    """The facilitator and `people` phones in `room` (a protocol_support.Room); each phone writes its share
    of the 60 notes, newest last. Returns {facilitator, phones, items: {quadrant: [item ids, oldest first]}}."""
    facilitator = room.facilitator()
    phones = [room.phone(NAMES[n % len(NAMES)], organisation=ORGANISATIONS[n % len(ORGANISATIONS)]) for n in range(people)]
    items: dict[str, list[int]] = {q: [] for q in QUADRANTS}
    for n in range(15):
        for q in QUADRANTS:
            phone = phones[(n * 4 + QUADRANTS.index(q)) % people]
            items[q].append(phone.ok("post_item", {"quadrant": q, "text": NOTES[q][n]})["item"]["id"])
    return {"facilitator": facilitator, "phones": phones, "items": items}


def make_themes(facilitator, items: dict[str, list[int]]) -> list[int]:
    """The eight themes of THEMES, oldest first (their notes taken from `items`)."""
    return [facilitator.ok("create_theme", {"title": title, "item_ids": [items[q][n] for q, n in members]})["theme"]["id"]
            for title, members in THEMES.items()]


# The text a person sees: every text node on screen (not clipped away, not hidden, not a 1-pixel
# label for screen readers), with its element's computed font size.
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const clipped = (el, rect) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflow === 'visible' && s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const r = a.getBoundingClientRect();
      if (rect.right <= r.left + 1 || rect.left >= r.right - 1 || rect.bottom <= r.top + 1 || rect.top >= r.bottom - 1) return true;
    }
    return false;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest('script, style, template') || !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2) continue;
    if (rect.bottom <= 0 || rect.top >= innerHeight || rect.right <= 0 || rect.left >= innerWidth) continue;
    if (clipped(el, rect)) continue;
    out.push({text: node.textContent.trim().slice(0, 40), size: parseFloat(getComputedStyle(el).fontSize), tag: el.tagName,
              cls: el.className});
  }
  return out;
}"""

# Line breaks inside a word that are not at a soft hyphen: [(text, the letters either side)].
MID_WORD_BREAKS = """sel => {
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      let previousTop = null;
      for (let i = 0; i < text.length; i += 1) {
        if (text[i] === '\\u00ad') continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rects = range.getClientRects();
        if (!rects.length) continue;
        const top = Math.round(rects[rects.length - 1].top); // after a soft hyphen the first rect is the hyphen's
        if (previousTop !== null && top > previousTop + 2) {
          let j = i - 1;
          while (j >= 0 && text[j] === '\\u00ad') j -= 1;
          const softBefore = j < i - 1;
          if (/[\\p{L}\\p{M}]/u.test(text[i]) && j >= 0 && /[\\p{L}\\p{M}]/u.test(text[j]) && !softBefore) {
            out.push([text.replace(/\\u00ad/g, '').slice(0, 60), text.slice(Math.max(0, j - 6), i + 6)]);
          }
        }
        previousTop = top;
      }
    }
  }
  return out;
}"""

#!/usr/bin/python3
"""Derive data/pacts.csv and data/pact_members.csv.

Two parts:
  1. Every ATOP 5.1 alliance still in force at the end of ATOP's coverage (endyr == 0, i.e. in force in
     2018) is carried forward with its atopid, pact-level obligations (atop5_1a.csv) and member spells and
     obligations (atop5_1m.csv), one spell per phase in which a member's obligations change (so no
     obligation is dated before the phase that created it). Members whose COW code is not a state today (GFR 260, GDR 265,
     Czechoslovakia 315, Yemen Arab Republic 678, South Yemen 680) left before 1993 and are dropped.
  2. Hand-coded corrections and additions after 2018 (EXITS, PACT_END, ADD_MEMBERS, NATO, NEW_PACTS below), each
     with its source, and the dormant treaties and member spells (DORMANT, MEMBER_DORMANT; the rule is in
     docs/data.md): a spell running on the dormancy date is split there, the later one has dormant=1.

Reads (never copies) ../shared/data/atop relative to the repository root.
Usage: /usr/bin/python3 data/scripts/derive_pacts.py
"""
import csv
import datetime
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
ATOP = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "atop"))
DATA = os.path.join(REPO, "data")
OBL = ("defense", "offense", "neutral", "nonagg", "consul")
ATOP_CITE = "ATOP 5.1 (Leeds et al. 2002), atopid %s"

# Named pacts: atopid -> (pact_id, name, extra source, note)
NAMED = {
    "3180": ("nato", "North Atlantic Treaty (NATO)",
             "North Atlantic Treaty, Washington, 1949-04-04 (https://www.nato.int/cps/en/natohq/official_texts_17120.htm); "
             "member accession dates: https://www.nato.int/cps/en/natohq/topics_52044.htm",
             "members: founders entered at signature 1949-04-04 (in force 1949-08-24); later members at the deposit of "
             "their accession instrument (nato.int), which differs from ATOP's protocol-signature dates"),
    "3215": ("anzus", "Security Treaty between Australia, New Zealand and the United States (ANZUS)",
             "ANZUS Treaty, San Francisco, 1951-09-01, 3 UST 3420, TIAS 2493",
             "US obligations toward New Zealand suspended 1986-09-17 (ATOP codes New Zealand's exit then); the treaty "
             "remains in force between Australia and the US"),
    "3375": ("us_jpn_1960", "Treaty of Mutual Cooperation and Security between Japan and the United States",
             "Treaty of Mutual Cooperation and Security, Washington, 1960-01-19, 11 UST 1632, TIAS 4509",
             "asymmetric: Japan's Article V obligation covers only territories under Japanese administration "
             "(ATOP codes Japan defense=0); Article VI grants US basing"),
    "3240": ("us_rok_1953", "Mutual Defense Treaty between the United States and the Republic of Korea",
             "Mutual Defense Treaty, Washington, 1953-10-01, 5 UST 2368, TIAS 3097", "US forces stationed under Article IV"),
    "3210": ("us_phl_1951", "Mutual Defense Treaty between the United States and the Philippines",
             "Mutual Defense Treaty, Washington, 1951-08-30, 3 UST 3947, TIAS 2529",
             "US statements since 2019 confirm Article IV covers attacks on Philippine armed forces, public vessels and "
             "aircraft anywhere in the South China Sea"),
    "3075": ("rio", "Inter-American Treaty of Reciprocal Assistance (Rio Treaty)",
             "Inter-American Treaty of Reciprocal Assistance, Rio de Janeiro, 1947-09-02, 21 UNTS 77",
             "withdrawals of Mexico (2004) and of Bolivia, Ecuador, Nicaragua and Venezuela (2012-2016) per ATOP; the "
             "2019 re-accession signed by Venezuela's opposition-led National Assembly is not recognised here"),
    "3260": ("manila_pact", "Southeast Asia Collective Defense Treaty (Manila Pact) / US-Thailand commitment",
             "Southeast Asia Collective Defense Treaty, Manila, 1954-09-08, 6 UST 81, TIAS 3170; Rusk-Thanat joint "
             "statement, 1962-03-06 (US Department of State Bulletin 46 (1962), p. 498)",
             "SEATO dissolved 1977-06-30 but the treaty remains in force; the 1962 Thanat-Rusk communique made the US "
             "commitment to Thailand individual as well as collective; ATOP keeps US and Thailand as members; the "
             "Philippines' tie to the US is coded separately (us_phl_1951)"),
    "3445": ("chn_prk_1961", "Treaty of Friendship, Cooperation and Mutual Assistance between China and the DPRK",
             "Treaty of Friendship, Cooperation and Mutual Assistance between the PRC and the DPRK, Beijing, 1961-07-11",
             "China's only formal ally; Article II automatic military assistance; Article VII: in force until the parties "
             "agree to amend or terminate it - the 1981, 2001 and 2021 anniversaries are commonly reported as 20-year "
             "renewals (events.csv)"),
    "4220": ("csto", "Collective Security Treaty (CSTO)",
             "Collective Security Treaty, Tashkent, 1992-05-15; CSTO Charter, Chisinau, 2002-10-07",
             "Azerbaijan, Georgia and Uzbekistan left 1999; Uzbekistan rejoined 2006 and suspended 2012; Armenia's "
             "participation is dormant from 2024-02 (see its member spell): it froze its participation without "
             "withdrawing"),
    "4810": ("sco", "Shanghai agreements / SCO Charter and Shanghai Convention",
             "ATOP 5.1 phase 2 from 2001-06-15 (Declaration on the Establishment of the SCO and the Shanghai Convention); "
             "SCO Charter, St Petersburg, 2002-06-07",
             "consultation and non-aggression only; India and Pakistan per ATOP; Iran (2023-07-04) and Belarus (2024-07-04) "
             "added here from SCO summit decisions"),
    "4980": ("chn_rus_2001", "Treaty of Good-Neighbourliness and Friendly Cooperation between China and Russia",
             "Treaty of Good-Neighbourliness and Friendly Cooperation, Moscow, 2001-07-16",
             "Article 9 consultation on threats; extended for five years by a joint statement of 2021-06-28"),
    "5060": ("chn_pak_2005", "Treaty of Friendship, Cooperation and Good-Neighbourly Relations between China and Pakistan",
             "Treaty of Friendship, Cooperation and Good-Neighbourly Relations, Islamabad, 2005-04-05", ""),
    "4865": ("rus_blr_union", "Treaty on the Union of Belarus and Russia / Union State",
             "Treaty on the Union of Belarus and Russia, Moscow, 1997-04-02; Treaty on the Creation of a Union State, 1999-12-08",
             "Russian tactical nuclear weapons deployed in Belarus from 2023"),
    "4875": ("rus_ukr_1997", "Treaty on Friendship, Cooperation and Partnership between Russia and Ukraine",
             "Treaty on Friendship, Cooperation and Partnership, Kyiv, 1997-05-31",
             "not renewed by Ukraine (law of 2018-12-06): ceased to have effect 2019-04-01"),
    "4175": ("eu_teu", "Treaty on European Union (Maastricht; Lisbon Art. 42(7) mutual assistance)",
             "Treaty on European Union, Maastricht, 1992-02-07; Treaty of Lisbon Art. 42(7) TEU",
             "United Kingdom left the EU on 2020-01-31"),
    "4400": ("cis", "Charter of the Commonwealth of Independent States", "CIS Charter, Minsk, 1993-01-22", ""),
    "3015": ("arab_league_1945", "Pact of the League of Arab States", "Pact of the League of Arab States, Cairo, 1945-03-22", "Syria suspended 2011-2023 (ATOP exit 2011)"),
    "3205": ("arab_league_jdec", "Arab League Joint Defence and Economic Cooperation Treaty",
             "Treaty of Joint Defence and Economic Co-operation between the States of the Arab League, Cairo, 1950-06-17", ""),
    "3150": ("oas", "Charter of the Organization of American States", "Charter of the OAS, Bogota, 1948-04-30",
             "Venezuela's withdrawal took effect 2019-04-27 and Nicaragua's 2023-11-19 (OAS)"),
    "3740": ("helsinki", "Helsinki Final Act (CSCE/OSCE)", "Final Act of the Conference on Security and Co-operation in Europe, Helsinki, 1975-08-01", ""),
    "3755": ("asean_tac", "Treaty of Amity and Cooperation in Southeast Asia", "Treaty of Amity and Cooperation in Southeast Asia, Bali, 1976-02-24",
             "ATOP's member list as of 2018 (includes extra-regional accessions)"),
    "4953": ("au_act", "Constitutive Act of the African Union", "Constitutive Act of the African Union, Lome, 2000-07-12", ""),
    "4965": ("gcc_defence", "GCC Joint Defence Agreement", "Joint Defence Agreement of the Gulf Cooperation Council, Manama, 2000-12-31", ""),
    "4985": ("sadc_pdsc", "SADC Protocol on Politics, Defence and Security Co-operation", "SADC Protocol on Politics, Defence and Security Co-operation, Blantyre, 2001-08-14", ""),
    "3895": ("ecowas_mad", "ECOWAS Protocol on Mutual Assistance in Defence", "ECOWAS Protocol relating to Mutual Assistance on Defence, Freetown, 1981-05-29",
             "Burkina Faso and Niger (members under ATOP) left with their exit from ECOWAS, effective 2025-01-29"),
    "3810": ("ecowas_nonagg", "ECOWAS Protocol on Non-Aggression", "ECOWAS Protocol on Non-Aggression, Lagos, 1978-04-22",
             "Burkina Faso, Mali and Niger left with their exit from ECOWAS, effective 2025-01-29"),
    "3815": ("chn_jpn_1978", "Treaty of Peace and Friendship between Japan and China", "Treaty of Peace and Friendship, Beijing, 1978-08-12", ""),
    "4125": ("korea_basic_1991", "Agreement on Reconciliation, Non-aggression and Exchanges (Inter-Korean Basic Agreement)",
             "Agreement on Reconciliation, Non-aggression and Exchanges and Cooperation, Seoul, 1991-12-13",
             "non-aggression; not terminated by either side"),
    "6020": ("sco_2007", "SCO Treaty on Long-Term Good-Neighbourliness, Friendship and Cooperation",
             "SCO Treaty on Long-Term Good-Neighbourliness, Friendship and Cooperation, Bishkek, 2007-08-16", ""),
}

# Changes to ATOP members after 2018: (atopid, ccode) -> exit date; additions below.
EXITS = {
    ("4175", 200): ("2020-01-31", "Withdrawal Agreement; UK left the EU 2020-01-31"),
    ("4875", 365): ("2019-04-01", "Ukraine's non-renewal law of 2018-12-06; treaty lapsed 2019-04-01"),
    ("4875", 369): ("2019-04-01", "Ukraine's non-renewal law of 2018-12-06; treaty lapsed 2019-04-01"),
    ("3150", 101): ("2019-04-27", "OAS: Venezuela's 2017 denunciation of the Charter took effect 2019-04-27"),
    ("3150", 93): ("2023-11-19", "OAS: Nicaragua's 2021 denunciation of the Charter took effect 2023-11-19"),
    ("5022", 230): ("2022-06-08", "Algeria suspended the 2002 Treaty of Friendship, Good Neighbourliness and "
                    "Cooperation with Spain, statement of the Presidency of the Republic, 2022-06-08 (APS)"),
    ("5022", 615): ("2022-06-08", "Algeria suspended the 2002 Treaty of Friendship, Good Neighbourliness and "
                    "Cooperation with Spain, statement of the Presidency of the Republic, 2022-06-08 (APS)"),
}
ECOWAS_EXIT = ("2025-01-29", "ECOWAS Commission communique of 2025-01-29: the withdrawal of Burkina Faso, Mali and Niger "
               "announced 2024-01-28 is effective")
for _aid in ("3895", "3810"):
    for _c in (432, 436, 439):
        EXITS[(_aid, _c)] = ECOWAS_EXIT
PACT_END = {"4875": "2019-04-01", "5022": "2022-06-08"}

# Dormant pacts: in force on paper, not in practice (rule in docs/data.md, "dormant"). atopid -> (from, evidence).
# Every member spell running on `from` is split there; the later spell carries dormant=1; the pact row carries
# dormant=1 (dormant at the world's as-of date) and the evidence in its note.
DORMANT = {
    "3355": ("1990-10-01",
             "dormant: since 1990-10-01. The 1959 Agreement of Cooperation (an executive agreement under the 1957 "
             "Middle East resolution) was not acted on when Pakistan invoked it in the wars of 1965 (the US embargoed "
             "arms to both sides) and 1971; it was reaffirmed in 1980 after the Soviet invasion of Afghanistan, but "
             "the Pressler Amendment cut off US military aid and sales from 1990-10-01, Pakistan's 2004 'major "
             "non-NATO ally' designation carries no defence commitment, and neither government has invoked the "
             "agreement since (compiler's reading, confidence moderate on the absence of invocations); Pakistan's "
             "principal security partner is China. ATOP 5.1 codes it in force in 2018"),
    "4125": ("2024-01-15",
             "dormant: since 2024-01-15, when the DPRK's Supreme People's Assembly abolished the bodies for "
             "inter-Korean dialogue and cooperation (Committee for the Peaceful Reunification of the Country, National "
             "Economic Cooperation Bureau, Mt Kumgang International Tourism Administration) after Kim Jong Un called "
             "the ROK the 'primary foe' (KCNA, 2024-01-16); neither side has terminated the agreement"),
}
# A member whose participation is dormant while the pact lives: (atopid, ccode) -> (from, evidence).
MEMBER_DORMANT = {
    ("4220", 371): ("2024-02", "dormant from 2024-02: Armenia froze its participation in the CSTO (PM Pashinyan, "
                    "interview with France 24, 2024-02-22), stopped attending its meetings and paying its share, "
                    "without withdrawing (confidence moderate on the day)"),
}
ADD_MEMBERS = [
    ("4810", 630, "2023-07-04", "", (0, 0, 0, 1, 1), "SCO Council of Heads of State, New Delhi (virtual) Declaration, 2023-07-04: Iran admitted as member"),
    ("4810", 370, "2024-07-04", "", (0, 0, 0, 1, 1), "SCO Council of Heads of State, Astana Declaration, 2024-07-04: Belarus admitted as member"),
]

# NATO: official accession dates (nato.int member countries page).
NATO_SRC = "https://www.nato.int/cps/en/natohq/topics_52044.htm"
NATO = [(c, "1949-04-04") for c in (2, 20, 200, 210, 211, 212, 220, 235, 325, 385, 390, 395)] + [
    (350, "1952-02-18"), (640, "1952-02-18"), (255, "1955-05-06"), (230, "1982-05-30"),
    (290, "1999-03-12"), (310, "1999-03-12"), (316, "1999-03-12"),
    (317, "2004-03-29"), (349, "2004-03-29"), (355, "2004-03-29"), (360, "2004-03-29"),
    (366, "2004-03-29"), (367, "2004-03-29"), (368, "2004-03-29"),
    (339, "2009-04-01"), (344, "2009-04-01"), (341, "2017-06-05"), (343, "2020-03-27"),
    (375, "2023-04-04"), (380, "2024-03-07"),
]

# Pacts after ATOP's coverage or outside it.
# pact_id, name, start, end, obligations, source, note, [(ccode, entry, exit, obligations, source)]
NEW_PACTS = [
    ("aes_2023", "Liptako-Gourma Charter establishing the Alliance of Sahel States (AES)", "2023-09-16", "",
     (1, 0, 0, 0, 1),
     "Charte du Liptako-Gourma instituant l'Alliance des Etats du Sahel, Bamako, 2023-09-16 (Article 6: an attack "
     "on one or more parties is an aggression against the others, with assistance including armed force); Treaty "
     "establishing the AES Confederation, Niamey, 2024-07-06",
     "coded ATOP-style by entente: defense and consultation for all three; the 2024-07-06 confederation treaty "
     "deepens it (events.csv); the three left ECOWAS effective 2025-01-29",
     [(432, "2023-09-16", "", (1, 0, 0, 0, 1)), (436, "2023-09-16", "", (1, 0, 0, 0, 1)),
      (439, "2023-09-16", "", (1, 0, 0, 0, 1))]),
    ("usa_fsm_compact", "Compact of Free Association between the United States and the Federated States of Micronesia",
     "1986-11-03", "", (1, 0, 0, 0, 1),
     "Compact of Free Association, Title Three (Security and Defense Relations), in force 1986-11-03 (Public Law "
     "99-239); amended 2003 (Public Law 108-188) and 2023-2024 (Compact of Free Association Amendments Act of 2024)",
     "asymmetric: the US has full authority and responsibility for security and defense and the obligation to defend "
     "the FSM 'as the United States and its citizens are defended'; the FSM must refrain from acts incompatible "
     "with it (coded consultation); the defence provisions have no end date; coded by entente (not in ATOP 5.1)",
     [(2, "1986-11-03", "", (1, 0, 0, 0, 1)), (987, "1986-11-03", "", (0, 0, 0, 0, 1))]),
    ("usa_msi_compact", "Compact of Free Association between the United States and the Marshall Islands",
     "1986-10-21", "", (1, 0, 0, 0, 1),
     "Compact of Free Association, Title Three (Security and Defense Relations), in force 1986-10-21 (Public Law "
     "99-239); amended 2003 (Public Law 108-188) and 2023-2024 (Compact of Free Association Amendments Act of 2024)",
     "asymmetric, as for the FSM; coded by entente (not in ATOP 5.1)",
     [(2, "1986-10-21", "", (1, 0, 0, 0, 1)), (983, "1986-10-21", "", (0, 0, 0, 0, 1))]),
    ("usa_pal_compact", "Compact of Free Association between the United States and Palau", "1994-10-01", "",
     (1, 0, 0, 0, 1),
     "Compact of Free Association, Title Three, in force 1994-10-01 (Public Law 99-658); 2010 review agreement; "
     "2023-2024 amendments (Compact of Free Association Amendments Act of 2024)",
     "asymmetric, as for the FSM; coded by entente (not in ATOP 5.1)",
     [(2, "1994-10-01", "", (1, 0, 0, 0, 1)), (986, "1994-10-01", "", (0, 0, 0, 0, 1))]),
    ("chn_slb_2022", "Framework Agreement on Security Cooperation between China and Solomon Islands", "2022-04", "",
     (0, 0, 0, 0, 1),
     "PRC Ministry of Foreign Affairs, regular press conference of 2022-04-19 (Wang Wenbin: the framework agreement "
     "on security cooperation has been officially signed); Solomon Islands Government statement of 2022-04-20",
     "China may send police, armed police and military personnel at the Solomon Islands' request and make ship "
     "visits; no defence obligation, coded consultation by entente; signed in April 2022 (initialled 2022-03-31; "
     "the signature day was not published, confidence moderate on the month)",
     [(710, "2022-04", "", (0, 0, 0, 0, 1)), (940, "2022-04", "", (0, 0, 0, 0, 1))]),
    ("rus_blr_2024", "Treaty on Security Guarantees within the Union State (Russia-Belarus)", "2024-12-06", "",
     (1, 0, 0, 0, 1),
     "Treaty between the Russian Federation and the Republic of Belarus on Security Guarantees within the Union "
     "State, Minsk, 2024-12-06 (kremlin.ru)",
     "mutual defence including Russia's nuclear weapons against aggression on either party; coded by entente",
     [(365, "2024-12-06", "", (1, 0, 0, 0, 1)), (370, "2024-12-06", "", (1, 0, 0, 0, 1))]),
    ("rus_irn_2025", "Treaty on Comprehensive Strategic Partnership between Russia and Iran", "2025-01-17", "",
     (0, 0, 1, 0, 1),
     "Treaty on Comprehensive Strategic Partnership between the Russian Federation and the Islamic Republic of "
     "Iran, Moscow, 2025-01-17 (kremlin.ru)",
     "Article 3: neither party helps an aggressor against the other (coded neutrality); consultation on common "
     "threats; no mutual defence obligation; coded by entente",
     [(365, "2025-01-17", "", (0, 0, 1, 0, 1)), (630, "2025-01-17", "", (0, 0, 1, 0, 1))]),
    ("frn_pol_2025", "Treaty of Nancy: Treaty for Enhanced Cooperation and Friendship between France and Poland",
     "2025-05-09", "", (1, 0, 0, 0, 1),
     "Traite de Nancy pour une cooperation et une amitie renforcees entre la France et la Pologne, Nancy, 2025-05-09 "
     "(elysee.fr)",
     "mutual assistance including by military means in case of armed aggression, complementing NATO Article 5 and "
     "EU Article 42(7); coded by entente",
     [(220, "2025-05-09", "", (1, 0, 0, 0, 1)), (290, "2025-05-09", "", (1, 0, 0, 0, 1))]),
    ("sau_pak_2025", "Strategic Mutual Defense Agreement between Saudi Arabia and Pakistan", "2025-09-17", "",
     (1, 0, 0, 0, 1),
     "Joint statement on the Strategic Mutual Defense Agreement, Riyadh, 2025-09-17 (Saudi Press Agency; Prime "
     "Minister's Office of Pakistan)",
     "'any aggression against either country shall be considered an aggression against both'; the text is not "
     "published; coded by entente",
     [(670, "2025-09-17", "", (1, 0, 0, 0, 1)), (770, "2025-09-17", "", (1, 0, 0, 0, 1))]),
    ("rus_prk_2024", "Treaty on Comprehensive Strategic Partnership between Russia and the DPRK", "2024-06-19", "",
     (1, 0, 0, 0, 1),
     "Treaty on Comprehensive Strategic Partnership between the Russian Federation and the DPRK, Pyongyang, 2024-06-19 "
     "(text published by KCNA 2024-06-20); in force 2024-12-04",
     "Article 4: immediate military and other assistance if either party is in a state of war after an armed attack; "
     "Article 3 consultation; coded ATOP-style by entente (not in ATOP 5.1)",
     [(365, "2024-06-19", "", (1, 0, 0, 0, 1)), (731, "2024-06-19", "", (1, 0, 0, 0, 1))]),
    ("gbr_ukr_2024", "Agreement on Security Co-operation between the United Kingdom and Ukraine", "2024-01-12", "",
     (0, 0, 0, 0, 1),
     "Agreement on Security Co-operation between the United Kingdom and Ukraine, Kyiv, 2024-01-12 (gov.uk)",
     "consultation within 24 hours in case of future Russian armed attack and long-term military support; no defence "
     "obligation; coded by entente",
     [(200, "2024-01-12", "", (0, 0, 0, 0, 1)), (369, "2024-01-12", "", (0, 0, 0, 0, 1))]),
    ("deu_ukr_2024", "Agreement on Security Cooperation and Long-Term Support between Germany and Ukraine", "2024-02-16", "",
     (0, 0, 0, 0, 1),
     "Agreement on security cooperation and long-term support between the Federal Republic of Germany and Ukraine, "
     "Berlin, 2024-02-16 (bundesregierung.de)",
     "consultation within 24 hours in case of future armed attack; no defence obligation; coded by entente",
     [(255, "2024-02-16", "", (0, 0, 0, 0, 1)), (369, "2024-02-16", "", (0, 0, 0, 0, 1))]),
    ("frn_ukr_2024", "Agreement on Security Cooperation between France and Ukraine", "2024-02-16", "",
     (0, 0, 0, 0, 1),
     "Accord de cooperation en matiere de securite entre la France et l'Ukraine, Paris, 2024-02-16 (elysee.fr)",
     "consultation in case of future armed attack; no defence obligation; coded by entente",
     [(220, "2024-02-16", "", (0, 0, 0, 0, 1)), (369, "2024-02-16", "", (0, 0, 0, 0, 1))]),
    ("usa_ukr_2024", "Bilateral Security Agreement between the United States and Ukraine", "2024-06-13", "",
     (0, 0, 0, 0, 1),
     "Bilateral Security Agreement between the United States of America and Ukraine, Fasano (G7 summit), 2024-06-13 "
     "(whitehouse.gov)",
     "executive agreement: consultation within 24 hours of a future armed attack; no defence obligation; coded by entente",
     [(2, "2024-06-13", "", (0, 0, 0, 0, 1)), (369, "2024-06-13", "", (0, 0, 0, 0, 1))]),
]


def ymd(y, m, d):
    y, m, d = int(y or 0), int(m or 0), int(d or 0)
    if y == 0:
        return ""
    if m == 0:
        return "%04d" % y
    if d == 0:
        return "%04d-%02d" % (y, m)
    return "%04d-%02d-%02d" % (y, m, d)


def day_before(d):
    """The day before an ISO date (ATOP member dates in force after 1945 all have day precision)."""
    assert len(d) == 10, d
    return (datetime.date.fromisoformat(d) - datetime.timedelta(days=1)).isoformat()


def before(d):
    """The last day before a partial ISO date, at the same precision."""
    if len(d) == 10:
        return day_before(d)
    if len(d) == 7:
        y, m = int(d[:4]), int(d[5:])
        return "%04d-%02d" % (y - (m == 1), 12 if m == 1 else m - 1)
    return "%04d" % (int(d) - 1)


def dormancy(pacts, members):
    """Inserts the dormant column: splits member spells at the dates of DORMANT and MEMBER_DORMANT."""
    aid_of = {p[0]: p[2] for p in pacts}
    out = []
    for m in members:
        pid, c, ent, ex = m[:4]
        aid = aid_of[pid]
        d = DORMANT.get(aid) or MEMBER_DORMANT.get((aid, c))
        head, tail = m[:4], m[4:-1]
        src = m[-1]
        if d and (ex == "" or ex >= d[0]):
            why = "; dormant from %s (see the pact's note)" % d[0]
            if ent < d[0]:
                out.append((pid, c, ent, before(d[0])) + tail + (0, src))
                out.append((pid, c, d[0], ex) + tail + (1, src + why))
            else:
                out.append(head + tail + (1, src + why))
        else:
            out.append(head + tail + (0, src))
    outp = []
    for p in pacts:
        aid = p[2]
        note = p[-1]
        dormant = 1 if aid in DORMANT else 0
        if dormant:
            note = DORMANT[aid][1] + ("; " + note if note else "")
        for (xa, c), (frm, why) in MEMBER_DORMANT.items():
            if xa == aid:
                note = (note + "; " if note else "") + "member %d: %s" % (c, why)
        outp.append(p[:-2] + (dormant, p[-2], note))
    return outp, out


def main():
    states = {int(r["ccode"]) for r in csv.DictReader(open(os.path.join(DATA, "states.csv"), encoding="utf-8"))}
    alli = [r for r in csv.DictReader(open(os.path.join(ATOP, "atop5_1a.csv"), encoding="utf-8")) if r["endyr"] == "0"]
    mem = {}
    for r in csv.DictReader(open(os.path.join(ATOP, "atop5_1m.csv"), encoding="utf-8")):
        mem.setdefault(r["atopid"], []).append(r)
    pacts, members = [], []
    abbr = {int(r["ccode"]): r["abbr"] for r in csv.DictReader(open(os.path.join(DATA, "states.csv"), encoding="utf-8"))}
    for a in sorted(alli, key=lambda r: int(r["atopid"])):
        aid = a["atopid"]
        named = NAMED.get(aid)
        pid = named[0] if named else "atop_" + aid
        # Member spells, one per ATOP phase in which the member's obligations change. ATOP writes one row
        # per member and phase (repeated once per partner in some bilateral files: same entry, same
        # obligations). A later phase may add an obligation (EU: Lisbon's mutual assistance from 2007;
        # SADC: the 2003 Mutual Defence Pact; SCO: the 2001 Shanghai Convention), so phases are kept
        # apart: the earlier spell ends the day before the next phase begins and carries its own
        # obligations. Consecutive phases with identical obligations are one spell.
        spells = {}
        for r in sorted(mem[aid], key=lambda r: (int(r["member"]), int(r["yrent"]), int(r["moent"]), int(r["dayent"]))):
            c = int(r["member"])
            ent = ymd(r["yrent"], r["moent"], r["dayent"])
            ex = ymd(r["yrexit"], r["moexit"], r["dayexit"])
            ob = tuple(int(r[k]) for k in OBL)
            lst = spells.setdefault(c, [])
            if lst and lst[-1][0] == ent:
                # the same phase repeated (one row per partner): obligations agree in ATOP 5.1; OR is safe
                prev = lst[-1]
                lst[-1] = [ent, max(prev[1], ex) if prev[1] and ex else "", tuple(x | y for x, y in zip(prev[2], ob))]
            elif lst and lst[-1][1] == ent and lst[-1][2] == ob:
                lst[-1] = [lst[-1][0], ex, ob]  # next phase, same obligations: one spell
            elif lst and lst[-1][1] == ent:
                lst[-1][1] = day_before(ent)  # next phase, new obligations: a new spell from its own date
                lst.append([ent, ex, ob])
            else:
                lst.append([ent, ex, ob])
        alive = sorted(c for c, l in spells.items() if c in states)
        if named:
            name, note = named[1], named[3]
            src = ATOP_CITE % aid + "; " + named[2]
        else:
            cur = [abbr[c] for c in alive if spells[c][-1][1] == "" or (aid, c) in EXITS]
            if len(cur) <= 4:
                name = "ATOP %s: %s (%s)" % (aid, "-".join(cur), a["begyr"])
            else:
                name = "ATOP %s: %d-member pact (%s)" % (aid, len(cur), a["begyr"])
            note, src = "", ATOP_CITE % aid
        if aid == "3180":
            for c, ent in NATO:
                members.append((pid, c, ent, "", 1, 0, 0, 1, 1, NATO_SRC + "; obligations " + ATOP_CITE % aid))
        else:
            for c in alive:
                for ent, ex, ob in spells[c]:
                    s = ATOP_CITE % aid + " (member file)"
                    if (aid, c) in EXITS and ex == "":
                        ex, why = EXITS[(aid, c)]
                        s += "; exit: " + why
                    members.append((pid, c, ent, ex) + ob + (s,))
            for (xid, c, ent, ex, ob, s) in ADD_MEMBERS:
                if xid == aid:
                    members.append((pid, c, ent, ex) + ob + (s,))
        start = ymd(a["begyr"], a["begmo"], a["begday"])
        pacts.append((pid, name, aid, start, PACT_END.get(aid, "")) + tuple(int(a[k]) for k in OBL) + (src, note))
    for pid, name, start, end, ob, src, note, ms in NEW_PACTS:
        pacts.append((pid, name, "", start, end) + ob + (src, note))
        for c, ent, ex, mob in ms:
            members.append((pid, c, ent, ex) + mob + (src,))
    pacts, members = dormancy(pacts, members)
    with open(os.path.join(DATA, "pacts.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["pact_id", "name", "atopid", "start", "end"] + list(OBL) + ["dormant", "source", "note"])
        w.writerows(pacts)
    with open(os.path.join(DATA, "pact_members.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["pact_id", "ccode", "entry", "exit"] + list(OBL) + ["dormant", "source"])
        w.writerows(members)
    print("pacts %d, member rows %d" % (len(pacts), len(members)), file=sys.stderr)


if __name__ == "__main__":
    main()

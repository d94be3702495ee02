/*
 * cite.c -- the one citation table of the library: every dataset an output
 * can rest on and every method it can apply, as a one-line reference and as a
 * BibTeX entry. Provenance records refer to these keys; `entente cite` prints
 * them. Keys of datasets are the import format names (docs/data.md), so a
 * store's import log names its citations directly.
 */
#include <string.h>

#include "entente/provenance.h"

static const ent_cite_t table[] = {
    {"entente-world", ENT_CITE_DATA, "entente shipped world 2024",
     "entente's shipped world (data/*.csv): states, capabilities, pacts, partnerships, security, economic and coercive "
     "ties in 2024, each row with its source (docs/data.md).",
     "@misc{entente-world,\n"
     "  author = {{entente contributors}},\n"
     "  title = {entente shipped world: a sourced alliance system as of 2024 (data/*.csv)},\n"
     "  note = {Each row carries its own source; see docs/data.md},\n"
     "  year = {2024},\n"
     "}\n"},
    {"cow-states", ENT_CITE_DATA, "COW State System v2016",
     "Correlates of War Project. 2017. \"State System Membership List, v2016.\" https://correlatesofwar.org",
     "@misc{cow-states,\n"
     "  author = {{Correlates of War Project}},\n"
     "  title = {State System Membership List, v2016},\n"
     "  year = {2017},\n"
     "  url = {https://correlatesofwar.org},\n"
     "}\n"},
    {"cow-nmc", ENT_CITE_DATA, "COW NMC (Singer, Bremer & Stuckey 1972)",
     "Singer, J. David, Stuart Bremer, and John Stuckey. 1972. \"Capability Distribution, Uncertainty, and Major Power "
     "War, 1820-1965.\" In Peace, War, and Numbers, ed. Bruce Russett. Beverly Hills: Sage, 19-48. (COW National "
     "Material Capabilities.)",
     "@incollection{cow-nmc,\n"
     "  author = {Singer, J. David and Bremer, Stuart and Stuckey, John},\n"
     "  title = {Capability Distribution, Uncertainty, and Major Power War, 1820--1965},\n"
     "  booktitle = {Peace, War, and Numbers},\n"
     "  editor = {Russett, Bruce},\n"
     "  publisher = {Sage},\n"
     "  address = {Beverly Hills},\n"
     "  pages = {19--48},\n"
     "  year = {1972},\n"
     "}\n"},
    {"atop", ENT_CITE_DATA, "ATOP 5.1 (Leeds et al. 2002)",
     "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell, and Andrew G. Long. 2002. \"Alliance Treaty "
     "Obligations and Provisions, 1815-1944.\" International Interactions 28(3): 237-260. (ATOP version 5.1.)",
     "@article{atop,\n"
     "  author = {Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and Long, Andrew G.},\n"
     "  title = {Alliance Treaty Obligations and Provisions, 1815--1944},\n"
     "  journal = {International Interactions},\n"
     "  volume = {28},\n"
     "  number = {3},\n"
     "  pages = {237--260},\n"
     "  year = {2002},\n"
     "  doi = {10.1080/03050620213653},\n"
     "}\n"},
    {"cow-alliance", ENT_CITE_DATA, "COW Formal Alliances v4.1 (Gibler 2009)",
     "Gibler, Douglas M. 2009. International Military Alliances, 1648-2008. Washington, DC: CQ Press. (COW Formal "
     "Alliances v4.1.)",
     "@book{cow-alliance,\n"
     "  author = {Gibler, Douglas M.},\n"
     "  title = {International Military Alliances, 1648--2008},\n"
     "  publisher = {CQ Press},\n"
     "  address = {Washington, DC},\n"
     "  year = {2009},\n"
     "}\n"},
    {"unga-ideal", ENT_CITE_DATA, "UNGA ideal points (Bailey, Strezhnev & Voeten 2017)",
     "Bailey, Michael A., Anton Strezhnev, and Erik Voeten. 2017. \"Estimating Dynamic State Preferences from United "
     "Nations Voting Data.\" Journal of Conflict Resolution 61(2): 430-456.",
     "@article{unga-ideal,\n"
     "  author = {Bailey, Michael A. and Strezhnev, Anton and Voeten, Erik},\n"
     "  title = {Estimating Dynamic State Preferences from United Nations Voting Data},\n"
     "  journal = {Journal of Conflict Resolution},\n"
     "  volume = {61},\n"
     "  number = {2},\n"
     "  pages = {430--456},\n"
     "  year = {2017},\n"
     "  doi = {10.1177/0022002715595700},\n"
     "}\n"},
    {"un-votes", ENT_CITE_DATA, "UNGA votes (Voeten 2013)",
     "Voeten, Erik. 2013. \"Data and Analyses of Voting in the United Nations General Assembly.\" In Routledge "
     "Handbook of International Organization, ed. Bob Reinalda. London: Routledge, 54-66.",
     "@incollection{un-votes,\n"
     "  author = {Voeten, Erik},\n"
     "  title = {Data and Analyses of Voting in the United Nations General Assembly},\n"
     "  booktitle = {Routledge Handbook of International Organization},\n"
     "  editor = {Reinalda, Bob},\n"
     "  publisher = {Routledge},\n"
     "  address = {London},\n"
     "  pages = {54--66},\n"
     "  year = {2013},\n"
     "}\n"},
    {"mme", ENT_CITE_DATA, "MME v7 (D'Orazio 2012)",
     "D'Orazio, Vito. 2012. \"War Games: North Atlantic Treaty Organization and Nonmember Cooperation in Multinational "
     "Military Exercises.\" International Interactions 38(5): 689-714. (Multinational Military Exercises v7.)",
     "@article{mme,\n"
     "  author = {D'Orazio, Vito},\n"
     "  title = {War Games: North Atlantic Treaty Organization and Nonmember Cooperation in Multinational Military "
     "Exercises},\n"
     "  journal = {International Interactions},\n"
     "  volume = {38},\n"
     "  number = {5},\n"
     "  pages = {689--714},\n"
     "  year = {2012},\n"
     "  doi = {10.1080/03050629.2012.727748},\n"
     "}\n"},
    {"tss-rivalries", ENT_CITE_DATA, "strategic rivalries (Thompson, Sakuwa & Suhas 2021)",
     "Thompson, William R., Kentaro Sakuwa, and Prashant Hosur Suhas. 2021. Analyzing Strategic Rivalries in World "
     "Politics. Singapore: Springer.",
     "@book{tss-rivalries,\n"
     "  author = {Thompson, William R. and Sakuwa, Kentaro and Suhas, Prashant Hosur},\n"
     "  title = {Analyzing Strategic Rivalries in World Politics},\n"
     "  publisher = {Springer},\n"
     "  address = {Singapore},\n"
     "  year = {2021},\n"
     "  doi = {10.1007/978-981-16-0508-9},\n"
     "}\n"},
    {"unga-idealfp", ENT_CITE_DATA, "UNGA ideal points to 2024 (Bailey, Strezhnev & Voeten 2017)",
     "Bailey, Michael A., Anton Strezhnev, and Erik Voeten. 2017. \"Estimating Dynamic State Preferences from United "
     "Nations Voting Data.\" Journal of Conflict Resolution 61(2): 430-456. (Ideal points by year, July 2025 release, "
     "through 2024.)",
     "@article{unga-idealfp,\n"
     "  author = {Bailey, Michael A. and Strezhnev, Anton and Voeten, Erik},\n"
     "  title = {Estimating Dynamic State Preferences from United Nations Voting Data},\n"
     "  journal = {Journal of Conflict Resolution},\n"
     "  volume = {61},\n"
     "  number = {2},\n"
     "  pages = {430--456},\n"
     "  year = {2017},\n"
     "  doi = {10.1177/0022002715595700},\n"
     "}\n"},
    {"unga-agreement", ENT_CITE_DATA, "UNGA voting data (Voeten, Strezhnev & Bailey 2009)",
     "Voeten, Erik, Anton Strezhnev, and Michael Bailey. 2009. \"United Nations General Assembly Voting Data.\" "
     "Harvard Dataverse, hdl:1902.1/12379. (Dyadic agreement and the vote counts behind it, sessions 70-79.)",
     "@misc{unga-agreement,\n"
     "  author = {Voeten, Erik and Strezhnev, Anton and Bailey, Michael},\n"
     "  title = {United Nations General Assembly Voting Data},\n"
     "  howpublished = {Harvard Dataverse},\n"
     "  note = {hdl:1902.1/12379},\n"
     "  year = {2009},\n"
     "}\n"},
    {"cow-contdir", ENT_CITE_DATA, "COW Direct Contiguity v3.2 (Stinnett et al. 2002)",
     "Stinnett, Douglas M., Jaroslav Tir, Philip Schafer, Paul F. Diehl, and Charles Gochman. 2002. \"The Correlates "
     "of War Project Direct Contiguity Data, Version 3.\" Conflict Management and Peace Science 19(2): 59-67.",
     "@article{cow-contdir,\n"
     "  author = {Stinnett, Douglas M. and Tir, Jaroslav and Schafer, Philip and Diehl, Paul F. and Gochman, "
     "Charles},\n"
     "  title = {The Correlates of War Project Direct Contiguity Data, Version 3},\n"
     "  journal = {Conflict Management and Peace Science},\n"
     "  volume = {19},\n"
     "  number = {2},\n"
     "  pages = {59--67},\n"
     "  year = {2002},\n"
     "  doi = {10.1177/073889420201900203},\n"
     "}\n"},
    {"capital-distance", ENT_CITE_DATA, "capital distances (Miller 2022)",
     "Miller, Steven V. 2022. \"peacesciencer: An R Package for Quantitative Peace Science Research.\" Conflict "
     "Management and Peace Science 39(6): 755-779. (Great-circle distances between capitals by dyad-year, derived from "
     "its capitals file.)",
     "@article{capital-distance,\n"
     "  author = {Miller, Steven V.},\n"
     "  title = {{peacesciencer}: An {R} Package for Quantitative Peace Science Research},\n"
     "  journal = {Conflict Management and Peace Science},\n"
     "  volume = {39},\n"
     "  number = {6},\n"
     "  pages = {755--779},\n"
     "  year = {2022},\n"
     "  doi = {10.1177/07388942221077926},\n"
     "}\n"},
    {"false-dyads", ENT_CITE_DATA, "COW false dyads (Miller 2022)",
     "Miller, Steven V. 2022. \"peacesciencer: An R Package for Quantitative Peace Science Research.\" Conflict "
     "Management and Peace Science 39(6): 755-779. (Dyad-years of states never in the system on the same day.)",
     "@article{false-dyads,\n"
     "  author = {Miller, Steven V.},\n"
     "  title = {{peacesciencer}: An {R} Package for Quantitative Peace Science Research},\n"
     "  journal = {Conflict Management and Peace Science},\n"
     "  volume = {39},\n"
     "  number = {6},\n"
     "  pages = {755--779},\n"
     "  year = {2022},\n"
     "  doi = {10.1177/07388942221077926},\n"
     "}\n"},
    {"cow-majors", ENT_CITE_DATA, "COW major powers v2016",
     "Correlates of War Project. 2017. \"State System Membership List, v2016.\" https://correlatesofwar.org (major "
     "powers, majors2016.csv)",
     "@misc{cow-majors,\n"
     "  author = {{Correlates of War Project}},\n"
     "  title = {State System Membership List, v2016: Major Powers},\n"
     "  year = {2017},\n"
     "  url = {https://correlatesofwar.org},\n"
     "}\n"},
    {"democracy", ENT_CITE_DATA, "regime scores: V-Dem, Polity, UDS (Marquez 2016)",
     "Marquez, Xavier. 2016. \"A Quick Method for Extending the Unified Democracy Scores.\" SSRN, "
     "doi:10.2139/ssrn.2753830; with V-Dem polyarchy (Coppedge et al., Varieties of Democracy Project), Polity polity2 "
     "(Marshall, Gurr & Jaggers, Polity Project) and UDS (Pemstein, Meserve & Melton 2010, Political Analysis 18(4): "
     "426-449).",
     "@misc{democracy,\n"
     "  author = {Marquez, Xavier},\n"
     "  title = {A Quick Method for Extending the Unified Democracy Scores},\n"
     "  howpublished = {SSRN},\n"
     "  note = {With V-Dem polyarchy (Coppedge et al.), Polity polity2 (Marshall, Gurr and Jaggers) and UDS (Pemstein, "
     "Meserve and Melton 2010)},\n"
     "  year = {2016},\n"
     "  doi = {10.2139/ssrn.2753830},\n"
     "}\n"},
    {"cow-mid-dyad", ENT_CITE_DATA, "COW MID 5 (Palmer et al. 2022)",
     "Palmer, Glenn, Roseanne W. McManus, Vito D'Orazio, Michael R. Kenwick, Mikaela Karstens, Chase Bloch, Nick "
     "Dietrich, Kayla Kahn, Kellan Ritter, and Michael J. Soules. 2022. \"The MID5 Dataset, 2011-2014: Procedures, "
     "Coding Rules, and Description.\" Conflict Management and Peace Science 39(4): 470-482.",
     "@article{cow-mid-dyad,\n"
     "  author = {Palmer, Glenn and McManus, Roseanne W. and D'Orazio, Vito and Kenwick, Michael R. and Karstens, "
     "Mikaela and Bloch, Chase and Dietrich, Nick and Kahn, Kayla and Ritter, Kellan and Soules, Michael J.},\n"
     "  title = {The {MID5} Dataset, 2011--2014: Procedures, Coding Rules, and Description},\n"
     "  journal = {Conflict Management and Peace Science},\n"
     "  volume = {39},\n"
     "  number = {4},\n"
     "  pages = {470--482},\n"
     "  year = {2022},\n"
     "  doi = {10.1177/0738894221995743},\n"
     "}\n"},
    {"gml-mid-dyad", ENT_CITE_DATA, "GML MIDs (Gibler, Miller & Little 2016)",
     "Gibler, Douglas M., Steven V. Miller, and Erin K. Little. 2016. \"An Analysis of the Militarized Interstate "
     "Dispute (MID) Dataset, 1816-2001.\" International Studies Quarterly 60(4): 719-730.",
     "@article{gml-mid-dyad,\n"
     "  author = {Gibler, Douglas M. and Miller, Steven V. and Little, Erin K.},\n"
     "  title = {An Analysis of the Militarized Interstate Dispute ({MID}) Dataset, 1816--2001},\n"
     "  journal = {International Studies Quarterly},\n"
     "  volume = {60},\n"
     "  number = {4},\n"
     "  pages = {719--730},\n"
     "  year = {2016},\n"
     "  doi = {10.1093/isq/sqw045},\n"
     "}\n"},
    {"cow-igo-dyad", ENT_CITE_DATA, "COW IGO v3 (Pevehouse et al. 2020)",
     "Pevehouse, Jon C. W., Timothy Nordstrom, Roseanne W. McManus, and Anne Spencer Jamison. 2020. \"Tracking "
     "Organizations in the World: The Correlates of War IGO Version 3.0 Datasets.\" Journal of Peace Research 57(3): "
     "492-503.",
     "@article{cow-igo-dyad,\n"
     "  author = {Pevehouse, Jon C. W. and Nordstrom, Timothy and McManus, Roseanne W. and Jamison, Anne Spencer},\n"
     "  title = {Tracking Organizations in the World: The Correlates of War {IGO} Version 3.0 Datasets},\n"
     "  journal = {Journal of Peace Research},\n"
     "  volume = {57},\n"
     "  number = {3},\n"
     "  pages = {492--503},\n"
     "  year = {2020},\n"
     "  doi = {10.1177/0022343319881175},\n"
     "}\n"},
    {"cow-trade-dyad", ENT_CITE_DATA, "COW Trade v4 (Barbieri, Keshk & Pollins 2009)",
     "Barbieri, Katherine, Omar M. G. Keshk, and Brian M. Pollins. 2009. \"Trading Data: Evaluating our Assumptions "
     "and Coding Rules.\" Conflict Management and Peace Science 26(5): 471-491. (COW Trade v4.0, dyadic.)",
     "@article{cow-trade-dyad,\n"
     "  author = {Barbieri, Katherine and Keshk, Omar M. G. and Pollins, Brian M.},\n"
     "  title = {Trading Data: Evaluating our Assumptions and Coding Rules},\n"
     "  journal = {Conflict Management and Peace Science},\n"
     "  volume = {26},\n"
     "  number = {5},\n"
     "  pages = {471--491},\n"
     "  year = {2009},\n"
     "  doi = {10.1177/0738894209343887},\n"
     "}\n"},
    {"cow-trade-state", ENT_CITE_DATA, "COW Trade v4 (Barbieri, Keshk & Pollins 2009)",
     "Barbieri, Katherine, Omar M. G. Keshk, and Brian M. Pollins. 2009. \"Trading Data: Evaluating our Assumptions "
     "and Coding Rules.\" Conflict Management and Peace Science 26(5): 471-491. (COW Trade v4.0, national totals.)",
     "@article{cow-trade-state,\n"
     "  author = {Barbieri, Katherine and Keshk, Omar M. G. and Pollins, Brian M.},\n"
     "  title = {Trading Data: Evaluating our Assumptions and Coding Rules},\n"
     "  journal = {Conflict Management and Peace Science},\n"
     "  volume = {26},\n"
     "  number = {5},\n"
     "  pages = {471--491},\n"
     "  year = {2009},\n"
     "  doi = {10.1177/0738894209343887},\n"
     "}\n"},
    {"countrycode", ENT_CITE_DATA, "countrycode (Arel-Bundock et al. 2018)",
     "Arel-Bundock, Vincent, Nils Enevoldsen, and CJ Yetman. 2018. \"countrycode: An R Package to Convert Country "
     "Names and Country Codes.\" Journal of Open Source Software 3(28): 848.",
     "@article{countrycode,\n"
     "  author = {Arel-Bundock, Vincent and Enevoldsen, Nils and Yetman, CJ},\n"
     "  title = {countrycode: An {R} Package to Convert Country Names and Country Codes},\n"
     "  journal = {Journal of Open Source Software},\n"
     "  volume = {3},\n"
     "  number = {28},\n"
     "  pages = {848},\n"
     "  year = {2018},\n"
     "  doi = {10.21105/joss.00848},\n"
     "}\n"},
    {"entente-alignment", ENT_CITE_METHOD, "entente alignment model",
     "The entente alignment model: states choose sides by threat, capability and ties; an ensemble of seeded runs "
     "gives probabilities (docs/models/alignment.md). Its parameters are assumed and reasoned, not fitted to data.",
     "@manual{entente-alignment,\n"
     "  author = {{entente contributors}},\n"
     "  title = {The entente alignment model (docs/models/alignment.md)},\n"
     "  note = {Parameters assumed and reasoned, not fitted},\n"
     "  year = {2026},\n"
     "}\n"},
    {"walt-1987", ENT_CITE_METHOD, "Walt 1987",
     "Walt, Stephen M. 1987. The Origins of Alliances. Ithaca, NY: Cornell University Press.",
     "@book{walt-1987,\n"
     "  author = {Walt, Stephen M.},\n"
     "  title = {The Origins of Alliances},\n"
     "  publisher = {Cornell University Press},\n"
     "  address = {Ithaca, NY},\n"
     "  year = {1987},\n"
     "}\n"},
    {"snyder-1984", ENT_CITE_METHOD, "Snyder 1984",
     "Snyder, Glenn H. 1984. \"The Security Dilemma in Alliance Politics.\" World Politics 36(4): 461-495.",
     "@article{snyder-1984,\n"
     "  author = {Snyder, Glenn H.},\n"
     "  title = {The Security Dilemma in Alliance Politics},\n"
     "  journal = {World Politics},\n"
     "  volume = {36},\n"
     "  number = {4},\n"
     "  pages = {461--495},\n"
     "  year = {1984},\n"
     "  doi = {10.2307/2010183},\n"
     "}\n"},
    {"blackman-vigna-2021", ENT_CITE_METHOD, "Blackman & Vigna 2021",
     "Blackman, David, and Sebastiano Vigna. 2021. \"Scrambled Linear Pseudorandom Number Generators.\" ACM "
     "Transactions on Mathematical Software 47(4): 36. (xoshiro256**, the engine's random streams.)",
     "@article{blackman-vigna-2021,\n"
     "  author = {Blackman, David and Vigna, Sebastiano},\n"
     "  title = {Scrambled Linear Pseudorandom Number Generators},\n"
     "  journal = {ACM Transactions on Mathematical Software},\n"
     "  volume = {47},\n"
     "  number = {4},\n"
     "  pages = {36:1--36:32},\n"
     "  year = {2021},\n"
     "  doi = {10.1145/3460772},\n"
     "}\n"},
    {"signorino-ritter-1999", ENT_CITE_METHOD, "Signorino & Ritter 1999",
     "Signorino, Curtis S., and Jeffrey M. Ritter. 1999. \"Tau-b or Not Tau-b: Measuring the Similarity of Foreign "
     "Policy Positions.\" International Studies Quarterly 43(1): 115-144.",
     "@article{signorino-ritter-1999,\n"
     "  author = {Signorino, Curtis S. and Ritter, Jeffrey M.},\n"
     "  title = {Tau-b or Not Tau-b: Measuring the Similarity of Foreign Policy Positions},\n"
     "  journal = {International Studies Quarterly},\n"
     "  volume = {43},\n"
     "  number = {1},\n"
     "  pages = {115--144},\n"
     "  year = {1999},\n"
     "  doi = {10.1111/0020-8833.00113},\n"
     "}\n"},
    {"bueno-de-mesquita-1975", ENT_CITE_METHOD, "Bueno de Mesquita 1975",
     "Bueno de Mesquita, Bruce. 1975. \"Measuring Systemic Polarity.\" Journal of Conflict Resolution 19(2): 187-216.",
     "@article{bueno-de-mesquita-1975,\n"
     "  author = {Bueno de Mesquita, Bruce},\n"
     "  title = {Measuring Systemic Polarity},\n"
     "  journal = {Journal of Conflict Resolution},\n"
     "  volume = {19},\n"
     "  number = {2},\n"
     "  pages = {187--216},\n"
     "  year = {1975},\n"
     "  doi = {10.1177/002200277501900201},\n"
     "}\n"},
    {"cohen-1968", ENT_CITE_METHOD, "Cohen 1968",
     "Cohen, Jacob. 1968. \"Weighted Kappa: Nominal Scale Agreement with Provision for Scaled Disagreement or Partial "
     "Credit.\" Psychological Bulletin 70(4): 213-220.",
     "@article{cohen-1968,\n"
     "  author = {Cohen, Jacob},\n"
     "  title = {Weighted Kappa: Nominal Scale Agreement with Provision for Scaled Disagreement or Partial Credit},\n"
     "  journal = {Psychological Bulletin},\n"
     "  volume = {70},\n"
     "  number = {4},\n"
     "  pages = {213--220},\n"
     "  year = {1968},\n"
     "  doi = {10.1037/h0026256},\n"
     "}\n"},
    {"scott-1955", ENT_CITE_METHOD, "Scott 1955",
     "Scott, William A. 1955. \"Reliability of Content Analysis: The Case of Nominal Scale Coding.\" Public Opinion "
     "Quarterly 19(3): 321-325.",
     "@article{scott-1955,\n"
     "  author = {Scott, William A.},\n"
     "  title = {Reliability of Content Analysis: The Case of Nominal Scale Coding},\n"
     "  journal = {Public Opinion Quarterly},\n"
     "  volume = {19},\n"
     "  number = {3},\n"
     "  pages = {321--325},\n"
     "  year = {1955},\n"
     "  doi = {10.1086/266577},\n"
     "}\n"},
    {"hage-2011", ENT_CITE_METHOD, "Häge 2011",
     "Häge, Frank M. 2011. \"Choice or Circumstance? Adjusting Measures of Foreign Policy Similarity for Chance "
     "Agreement.\" Political Analysis 19(3): 287-305.",
     "@article{hage-2011,\n"
     "  author = {H{\\\"a}ge, Frank M.},\n"
     "  title = {Choice or Circumstance? Adjusting Measures of Foreign Policy Similarity for Chance Agreement},\n"
     "  journal = {Political Analysis},\n"
     "  volume = {19},\n"
     "  number = {3},\n"
     "  pages = {287--305},\n"
     "  year = {2011},\n"
     "  doi = {10.1093/pan/mpr023},\n"
     "}\n"},
    {"kendall-1938", ENT_CITE_METHOD, "Kendall 1938",
     "Kendall, Maurice G. 1938. \"A New Measure of Rank Correlation.\" Biometrika 30(1/2): 81-93.",
     "@article{kendall-1938,\n"
     "  author = {Kendall, Maurice G.},\n"
     "  title = {A New Measure of Rank Correlation},\n"
     "  journal = {Biometrika},\n"
     "  volume = {30},\n"
     "  number = {1/2},\n"
     "  pages = {81--93},\n"
     "  year = {1938},\n"
     "  doi = {10.2307/2332226},\n"
     "}\n"},
    {"heider-1946", ENT_CITE_METHOD, "Heider 1946",
     "Heider, Fritz. 1946. \"Attitudes and Cognitive Organization.\" Journal of Psychology 21(1): 107-112.",
     "@article{heider-1946,\n"
     "  author = {Heider, Fritz},\n"
     "  title = {Attitudes and Cognitive Organization},\n"
     "  journal = {Journal of Psychology},\n"
     "  volume = {21},\n"
     "  number = {1},\n"
     "  pages = {107--112},\n"
     "  year = {1946},\n"
     "  doi = {10.1080/00223980.1946.9917275},\n"
     "}\n"},
    {"cartwright-harary-1956", ENT_CITE_METHOD, "Cartwright & Harary 1956",
     "Cartwright, Dorwin, and Frank Harary. 1956. \"Structural Balance: A Generalization of Heider's Theory.\" "
     "Psychological Review 63(5): 277-293.",
     "@article{cartwright-harary-1956,\n"
     "  author = {Cartwright, Dorwin and Harary, Frank},\n"
     "  title = {Structural Balance: A Generalization of {Heider}'s Theory},\n"
     "  journal = {Psychological Review},\n"
     "  volume = {63},\n"
     "  number = {5},\n"
     "  pages = {277--293},\n"
     "  year = {1956},\n"
     "  doi = {10.1037/h0046049},\n"
     "}\n"},
    {"aref-mason-wilson-2018", ENT_CITE_METHOD, "Aref, Mason & Wilson 2018",
     "Aref, Samin, Andrew J. Mason, and Mark C. Wilson. 2018. \"Computing the Line Index of Balance Using Integer "
     "Programming Optimisation.\" In Optimization Problems in Graph Theory, ed. Boris Goldengorin. Cham: Springer, "
     "65-84.",
     "@incollection{aref-mason-wilson-2018,\n"
     "  author = {Aref, Samin and Mason, Andrew J. and Wilson, Mark C.},\n"
     "  title = {Computing the Line Index of Balance Using Integer Programming Optimisation},\n"
     "  booktitle = {Optimization Problems in Graph Theory},\n"
     "  editor = {Goldengorin, Boris},\n"
     "  publisher = {Springer},\n"
     "  address = {Cham},\n"
     "  pages = {65--84},\n"
     "  year = {2018},\n"
     "  doi = {10.1007/978-3-319-94830-0_3},\n"
     "}\n"},
    {"antal-krapivsky-redner-2005", ENT_CITE_METHOD, "Antal, Krapivsky & Redner 2005",
     "Antal, Tibor, Paul L. Krapivsky, and Sidney Redner. 2005. \"Dynamics of Social Balance on Networks.\" Physical "
     "Review E 72: 036121.",
     "@article{antal-krapivsky-redner-2005,\n"
     "  author = {Antal, Tibor and Krapivsky, Paul L. and Redner, Sidney},\n"
     "  title = {Dynamics of Social Balance on Networks},\n"
     "  journal = {Physical Review E},\n"
     "  volume = {72},\n"
     "  pages = {036121},\n"
     "  year = {2005},\n"
     "  doi = {10.1103/PhysRevE.72.036121},\n"
     "}\n"},
    {"antal-krapivsky-redner-2006", ENT_CITE_METHOD, "Antal, Krapivsky & Redner 2006",
     "Antal, Tibor, Paul L. Krapivsky, and Sidney Redner. 2006. \"Social Balance on Networks: The Dynamics of "
     "Friendship and Enmity.\" Physica D 224(1-2): 130-136.",
     "@article{antal-krapivsky-redner-2006,\n"
     "  author = {Antal, Tibor and Krapivsky, Paul L. and Redner, Sidney},\n"
     "  title = {Social Balance on Networks: The Dynamics of Friendship and Enmity},\n"
     "  journal = {Physica D},\n"
     "  volume = {224},\n"
     "  number = {1--2},\n"
     "  pages = {130--136},\n"
     "  year = {2006},\n"
     "  doi = {10.1016/j.physd.2006.09.028},\n"
     "}\n"},
    {"axelrod-bennett-1993", ENT_CITE_METHOD, "Axelrod & Bennett 1993",
     "Axelrod, Robert, and D. Scott Bennett. 1993. \"A Landscape Theory of Aggregation.\" British Journal of Political "
     "Science 23(2): 211-233.",
     "@article{axelrod-bennett-1993,\n"
     "  author = {Axelrod, Robert and Bennett, D. Scott},\n"
     "  title = {A Landscape Theory of Aggregation},\n"
     "  journal = {British Journal of Political Science},\n"
     "  volume = {23},\n"
     "  number = {2},\n"
     "  pages = {211--233},\n"
     "  year = {1993},\n"
     "  doi = {10.1017/S000712340000965X},\n"
     "}\n"},
    {"esteban-ray-1994", ENT_CITE_METHOD, "Esteban & Ray 1994",
     "Esteban, Joan-María, and Debraj Ray. 1994. \"On the Measurement of Polarization.\" Econometrica 62(4): 819-851.",
     "@article{esteban-ray-1994,\n"
     "  author = {Esteban, Joan-Mar{\\'\\i}a and Ray, Debraj},\n"
     "  title = {On the Measurement of Polarization},\n"
     "  journal = {Econometrica},\n"
     "  volume = {62},\n"
     "  number = {4},\n"
     "  pages = {819--851},\n"
     "  year = {1994},\n"
     "  doi = {10.2307/2951734},\n"
     "}\n"},
    {"wayman-1984", ENT_CITE_METHOD, "Wayman 1984",
     "Wayman, Frank W. 1984. \"Bipolarity and War: The Role of Capability Concentration and Alliance Patterns among "
     "Major Powers, 1816-1965.\" Journal of Peace Research 21(1): 61-78.",
     "@article{wayman-1984,\n"
     "  author = {Wayman, Frank W.},\n"
     "  title = {Bipolarity and War: The Role of Capability Concentration and Alliance Patterns among Major Powers, "
     "1816--1965},\n"
     "  journal = {Journal of Peace Research},\n"
     "  volume = {21},\n"
     "  number = {1},\n"
     "  pages = {61--78},\n"
     "  year = {1984},\n"
     "  doi = {10.1177/002234338402100105},\n"
     "}\n"},
    {"gomez-jensen-arenas-2009", ENT_CITE_METHOD, "Gómez, Jensen & Arenas 2009",
     "Gómez, Sergio, Pablo Jensen, and Alex Arenas. 2009. \"Analysis of Community Structure in Networks of Correlated "
     "Data.\" Physical Review E 80: 016114.",
     "@article{gomez-jensen-arenas-2009,\n"
     "  author = {G{\\'o}mez, Sergio and Jensen, Pablo and Arenas, Alex},\n"
     "  title = {Analysis of Community Structure in Networks of Correlated Data},\n"
     "  journal = {Physical Review E},\n"
     "  volume = {80},\n"
     "  pages = {016114},\n"
     "  year = {2009},\n"
     "  doi = {10.1103/PhysRevE.80.016114},\n"
     "}\n"},
    {"traag-bruggeman-2009", ENT_CITE_METHOD, "Traag & Bruggeman 2009",
     "Traag, Vincent A., and Jeroen Bruggeman. 2009. \"Community Detection in Networks with Positive and Negative "
     "Links.\" Physical Review E 80: 036115.",
     "@article{traag-bruggeman-2009,\n"
     "  author = {Traag, Vincent A. and Bruggeman, Jeroen},\n"
     "  title = {Community Detection in Networks with Positive and Negative Links},\n"
     "  journal = {Physical Review E},\n"
     "  volume = {80},\n"
     "  pages = {036115},\n"
     "  year = {2009},\n"
     "  doi = {10.1103/PhysRevE.80.036115},\n"
     "}\n"},
    {"reichardt-bornholdt-2006", ENT_CITE_METHOD, "Reichardt & Bornholdt 2006",
     "Reichardt, Jörg, and Stefan Bornholdt. 2006. \"Statistical Mechanics of Community Detection.\" Physical Review E "
     "74: 016110.",
     "@article{reichardt-bornholdt-2006,\n"
     "  author = {Reichardt, J{\\\"o}rg and Bornholdt, Stefan},\n"
     "  title = {Statistical Mechanics of Community Detection},\n"
     "  journal = {Physical Review E},\n"
     "  volume = {74},\n"
     "  pages = {016110},\n"
     "  year = {2006},\n"
     "  doi = {10.1103/PhysRevE.74.016110},\n"
     "}\n"},

};

const ent_cite_t *ent_cite_table(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

const ent_cite_t *ent_cite_lookup(const char *key)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(table[i].key, key) == 0) {
            return &table[i];
        }
    }
    return NULL;
}

"""Everyday words for World Factbook field labels: what people say when they ask for a field in other words
("How much territory does Russia cover?" asks for "Area, total"). Written from what each field means, not from
questions; a sentence giving a field is scored and checked as if it said them too."""
from __future__ import annotations

import functools
import re

from .keyfacts import names
from .textutil import terms

FIELD_LABEL = re.compile(r"^([^:.;]{1,80}):\s")  # "Capital, name: Malé." gives "Capital, name"
# A field's qualifiers that name its main entry ("Area, total", "Capital, name", an anthem's "title"), not a part of it.
MAIN_ENTRY = frozenset({"total", "overall", "name", "title"})
_SERIES_YEAR = re.compile(r"^(.*\S)\s+((?:19|20)\d\d)$")


def field_of(label: str) -> tuple[str, int | None]:
    """("Unemployment rate", 2024) of "Unemployment rate 2024", a field given year by year; (label, None) else."""
    found = _SERIES_YEAR.match(label)
    return (found.group(1), int(found.group(2))) if found else (label, None)


FIELD_WORDS: dict[str, str] = {
    "Administrative divisions": "provinces states regions districts counties subdivisions departments prefectures governorates territories",
    "Age structure": "young old elderly children youth aged ages breakdown profile pensioners",
    "Age structure, 0-14 years": "children kids youngsters minors juveniles young youth boys girls schoolchildren",
    "Age structure, 15-64 years": "working adults adult grown prime middle employable",
    "Age structure, 65 years and over": "elderly old older seniors pensioners retirees retired aged",
    "Agricultural products": "crops farm farming farms grow grown harvest livestock food produce agriculture",
    "Airports": "airfields airstrips aerodromes runways airfield aviation planes flights",
    "Alcohol consumption per capita": "drinking drink drinks booze liquor alcoholic litres liters intake",
    "Alcohol consumption per capita, beer": "lager ale brew drinking pints malt booze",
    "Alcohol consumption per capita, spirits": "liquor vodka whisky whiskey hard distilled drinking booze",
    "Alcohol consumption per capita, wine": "vino grape grapes drinking glasses vineyard",
    "Area": "size territory cover covers square kilometres kilometers km extent",
    "Area, total": "size territory cover covers overall whole square kilometres kilometers",
    "Area, land": "dry ground landmass terrain territory size surface excluding",
    "Area, water": "lakes rivers inland reservoirs wetlands waters surface freshwater",
    "Area - comparative": "compare compared comparison similar equivalent relative likened",
    "Average household expenditures": "spending spend spends budget families family costs consumer",
    "Average household expenditures, on food": "groceries eating meals spending spend diet families",
    "Average household expenditures, on alcohol and tobacco": "drinking smoking cigarettes booze liquor spending spend",
    "Background": "history overview summary origins introduction past story context historical",
    "Birth rate": "births born babies newborns natality deliveries childbirth",
    "Broadband - fixed subscriptions": "internet wired home connection connections cable fibre fiber dsl subscribers",
    "Broadband - fixed subscriptions, subscriptions per 100 inhabitants": "penetration density coverage connected subscribers share internet wired",
    "Broadcast media": "television tv radio stations channels broadcasters networks press news outlets",
    "Budget": "government spending revenue income expenditure finances fiscal public treasury",
    "Budget, expenditures": "spending spend spends outlays costs expenses expenditure government",
    "Budget, revenues": "income receipts takings taxes raised earnings revenue collected",
    "Capital": "city seat administrative headquarters metropolis governmental",
    "Capital, name": "city called named seat headquarters metropolis",
    "Capital, etymology": "named origin meaning derived derivation called naming namesake",
    "Capital, geographic coordinates": "latitude longitude located location position lat long map",
    "Capital, time difference": "timezone zone utc gmt clock offset hours ahead behind local",
    "Capital, daylight saving time": "dst summertime clocks forward back changing seasonal",
    "Carbon dioxide emissions": "co2 greenhouse pollution footprint emit emits emitted polluting gases warming",
    "Carbon dioxide emissions, from coal and metallurgical coke": "burning co2 steelmaking smelting fired pollution",
    "Carbon dioxide emissions, from consumed natural gas": "burning co2 methane lng heating fuel pollution",
    "Carbon dioxide emissions, from petroleum and other liquids": "oil burning co2 gasoline petrol diesel fuel pollution",
    "Child marriage": "underage brides wed wedding weddings minors teenage early married girls",
    "Child marriage, women married by age 15": "girls brides underage wed fifteen wedding minors",
    "Child marriage, women married by age 18": "girls brides underage wed eighteen wedding minors",
    "Child marriage, men married by age 18": "boys grooms underage wed husbands eighteen wedding",
    "Children under the age of 5 years underweight": "malnutrition malnourished undernourished stunted hungry hunger toddlers infants thin nutrition",
    "Citizenship": "nationality passport citizen citizens naturalization naturalisation national",
    "Citizenship, dual citizenship recognized": "two passports double nationality multiple allowed permitted second both",
    "Citizenship, residency requirement for naturalization": "naturalise naturalisation become citizen living residence reside wait passport",
    "citizenship by birth": "born birthright birthplace automatic native soil soli",
    "citizenship by descent only": "parents parent ancestry bloodline inherited heritage lineage sanguinis",
    "Civil aircraft registration country code prefix": "tail plane aeroplane airplane registry letters marking identifier",
    "Climate": "weather temperatures temperature seasons rainfall hot cold rainy dry humid",
    "Coal": "lignite anthracite mining mined mines fossil coke",
    "Coal, consumption": "burn burned burning used use consumes demand usage",
    "Coal, exports": "sells sold shipped abroad exported export overseas",
    "Coal, imports": "buys bought imported import purchased abroad overseas",
    "Coal, production": "produce produces produced output mined mining extracted",
    "Coal, proven reserves": "deposits reserve stock underground remaining known left",
    "Coastline": "coast shore shoreline seaside beach beaches sea seaboard littoral",
    "Constitution": "charter founding document supreme basic fundamental law",
    "Constitution, amendment process": "amend amending change changing modify revise altered altering",
    "Constitution, history": "adopted written drafted enacted ratified previous origins",
    "Country name": "called named call known title formal designation",
    "Country name, conventional long form": "full formal called title complete",
    "Country name, conventional short form": "common called usual abbreviated shortened everyday",
    "Country name, etymology": "origin meaning derived derivation called named",
    "Country name, former": "previous old formerly earlier past historical called previously",
    "Country name, local long form": "native indigenous own language full formal called",
    "Country name, local short form": "native indigenous own language called endonym",
    "Current account balance": "surplus deficit payments external trade net foreign income transfers",
    "Currently married women (ages 15-49)": "wives wed husbands marriage spouses partnered wedded matrimony",
    "Death rate": "deaths die dying mortality died fatalities deceased",
    "Debt - external": "foreign owed borrowing borrowed loans owe liabilities abroad creditors",
    "Dependency ratios": "dependents dependants burden support elderly children nonworking working",
    "Dependency ratios, elderly dependency ratio": "old aged seniors pensioners retirees retired dependents dependants",
    "Dependency ratios, potential support ratio": "workers working supporting retirees pensioners elderly carers earners",
    "Dependency ratios, youth dependency ratio": "children kids young minors dependents dependants juvenile",
    "Diplomatic representation from the US": "embassy ambassador envoy mission diplomats consulate legation",
    "Diplomatic representation from the US, chief of mission": "ambassador envoy diplomat head representative emissary",
    "Diplomatic representation from the US, embassy": "address location building street located office",
    "Diplomatic representation from the US, consulate(s) general": "consulates consul consular offices branch",
    "Diplomatic representation from the US, mailing address": "post postal mail letters send correspondence",
    "Diplomatic representation from the US, telephone": "phone call contact calling dial ring",
    "Diplomatic representation from the US, FAX": "facsimile faxes contact send",
    "Diplomatic representation from the US, email address and website": "web site online internet url contact homepage",
    "Diplomatic representation in the US": "embassy ambassador envoy mission diplomats consulate abroad",
    "Diplomatic representation in the US, chief of mission": "ambassador envoy diplomat head representative emissary",
    "Diplomatic representation in the US, chancery": "embassy address building located office street location",
    "Diplomatic representation in the US, consulate(s) general": "consulates consul consular offices branch",
    "Diplomatic representation in the US, telephone": "phone call contact calling dial ring",
    "Diplomatic representation in the US, FAX": "facsimile faxes contact send",
    "Diplomatic representation in the US, email address and website": "web site online internet url contact homepage",
    "Drinking water source": "clean safe tap piped potable access wells supply",
    "Drinking water source, improved": "clean safe potable treated piped tap access protected",
    "Drinking water source, unimproved": "unsafe dirty contaminated untreated unprotected polluted lacking",
    "Economic overview": "economy summary description structure strengths outlook business profile",
    "Education expenditure (% GDP)": "schools schooling spending spend funding invest investment teaching universities",
    "Education expenditure (% national budget)": "schools schooling spending spend funding government share teaching universities",
    "Electricity access": "power electric electrified connected grid homes supply lights",
    "Electricity access, electrification - rural areas": "countryside villages village farms remote power electric grid connected",
    "Electricity access, electrification - urban areas": "cities towns city town power electric grid connected",
    "Electricity generation sources": "power energy mix plants generated generate produced fuel",
    "Electricity generation sources, biomass and waste": "wood burning biofuel biofuels garbage bioenergy renewable",
    "Electricity generation sources, fossil fuels": "coal oil gas thermal carbon hydrocarbons nonrenewable",
    "Electricity generation sources, hydroelectricity": "hydro hydropower dams dam water rivers renewable",
    "Electricity generation sources, nuclear": "atomic reactors reactor uranium plants fission",
    "Electricity generation sources, solar": "sun sunlight photovoltaic pv panels renewable",
    "Electricity generation sources, wind": "turbines windmills windfarms renewable farms",
    "Electricity": "power electric energy grid kwh kilowatt",
    "Electricity, consumption": "use used usage demand consumes consumed power electric kwh",
    "Electricity, exports": "sells sold export exported power electric neighbours neighbors",
    "Electricity, imports": "buys bought import imported power electric",
    "Electricity, installed generating capacity": "power plants output maximum megawatts gigawatts kw",
    "Electricity, transmission/distribution losses": "lost wasted waste leakage grid inefficiency power",
    "Elevation": "height altitude heights above sea level metres meters",
    "Elevation, highest point": "tallest peak summit mountain top loftiest altitude height",
    "Elevation, lowest point": "deepest depression bottom below sea level altitude",
    "Elevation, mean elevation": "average typical height altitude metres meters",
    "Energy consumption per capita": "use usage person head individual btu average demand consumes",
    "Environmental issues": "pollution environment problems concerns ecological degradation deforestation ecology threats",
    "Ethnic groups": "ethnicity race races ethnicities tribes tribal ancestry heritage nationalities makeup",
    "Exchange rates": "currency money dollar conversion worth value forex pay paid paying",
    "Exchange rates, Currency": "money monetary unit denomination coin coins cash tender pay paid paying",
    "Executive branch": "leader leaders runs rules ruler president government head power leadership",
    "Executive branch, chief of state": "head president monarch king queen sovereign leader ruler",
    "Executive branch, head of government": "prime premier minister chancellor leader runs ruler",
    "Executive branch, cabinet": "ministers ministerial council secretaries government appointed",
    "Executive branch, election results": "won winner vote votes voting outcome presidential polls",
    "Executive branch, election/appointment process": "elected chosen appointed selected vote voting presidential term",
    "Executive branch, expected date of next election": "upcoming future when presidential vote polls scheduled",
    "Executive branch, most recent election date": "last latest previous when presidential vote polls held",
    "Exports": "sales abroad overseas sell sells sold shipments trade outbound exported",
    "Exports - commodities": "goods products sell sells sold abroad shipped export exported",
    "Exports - partners": "buyers customers destinations markets trade trading sells sold",
    "GDP (official exchange rate)": "economy economic output nominal size wealth gross domestic product income",
    "GDP - composition": "economy structure breakdown makeup shares sectors sector",
    "GDP - composition, by end use, exports of goods and services": "foreign sales trade abroad share economy",
    "GDP - composition, by end use, government consumption": "public state spending spend share economy",
    "GDP - composition, by end use, household consumption": "consumer private spending spend families share",
    "GDP - composition, by end use, imports of goods and services": "purchases foreign buying trade share economy",
    "GDP - composition, by end use, investment in fixed capital": "capex construction infrastructure machinery equipment invest investing",
    "GDP - composition, by end use, investment in inventories": "stocks stockpiles stockbuilding invest",
    "GDP - composition, by sector of origin, agriculture": "farming farm farms fishing forestry agrarian agricultural",
    "GDP - composition, by sector of origin, industry": "manufacturing factories industrial mining construction",
    "GDP - composition, by sector of origin, services": "tertiary tourism banking finance retail service",
    "Geographic coordinates": "latitude longitude location position located lat map",
    "Geoparks": "geological geology unesco park parks heritage",
    "Gini Index coefficient - distribution of family income": "inequality unequal gap rich poor wealth disparity",
    "Government type": "regime system political republic monarchy democracy form governance",
    "Gross reproduction rate": "daughters girls born woman replacement fertility mothers",
    "Health expenditure (as % of GDP)": "healthcare medical medicine spending spend hospitals funding",
    "Health expenditure (as % of national budget)": "healthcare medical medicine spending spend hospitals government share",
    "Heliports": "helipads helicopter helicopters landing pads",
    "Hospital bed density": "beds hospitals capacity healthcare inpatient medical wards",
    "Household income or consumption by percentage share": "inequality distribution rich poor wealth earnings",
    "Household income or consumption by percentage share, highest 10%": "richest wealthiest rich top wealthy affluent",
    "Household income or consumption by percentage share, lowest 10%": "poorest poor bottom needy",
    "Illicit drugs": "narcotics drug trafficking smuggling cocaine heroin cannabis opium illegal",
    "Imports": "purchases buy buys bought foreign abroad inbound incoming overseas shipments trade imported",
    "Imports - commodities": "goods products buy buys bought purchases import imported foreign abroad",
    "Imports - partners": "suppliers sources origins buys bought trade trading",
    "Independence": "independent founded freedom sovereignty sovereign established founding colonial when liberation",
    "Industrial production growth rate": "manufacturing factory output expanding increase industry",
    "Industries": "industry manufacturing factories sectors businesses economic produce products",
    "Infant mortality rate": "babies baby newborns deaths die dying death",
    "Infant mortality rate, female": "girls baby babies newborn deaths die dying",
    "Infant mortality rate, male": "boys baby babies newborn deaths die dying",
    "Inflation rate (consumer prices)": "price rising costs cost living cpi increase increases",
    "International environmental agreements": "treaties treaty conventions accords protocols climate environment pacts",
    "International environmental agreements, party to": "ratified signed member joined treaties conventions accords",
    "International environmental agreements, signed, but not ratified": "unratified pending treaties conventions accords",
    "International law organization participation": "court courts icj icct jurisdiction tribunal criminal justice",
    "International organization participation": "memberships member belongs groups alliances bodies institutions joined",
    "Internet country code": "domain tld extension web url suffix",
    "Internet users": "online web connected access",
    "Internet users, percent of population": "online web connected access share proportion",
    "Irrigated land": "irrigation watered farmland cropland agriculture farming",
    "Judicial branch": "courts court judiciary judges justice legal",
    "Judicial branch, highest court(s)": "supreme justices top apex constitutional appeal",
    "Judicial branch, judge selection and term of office": "appointed appointment chosen judges tenure justices serve",
    "Judicial branch, subordinate courts": "lower inferior appeals tribunals district regional",
    "Key space-program milestones": "achievements launches satellites rockets astronauts history firsts",
    "Labor force": "workers working work jobs employed workforce labour employment job",
    "Land boundaries": "borders border neighbours neighbors bordering frontier frontiers adjacent",
    "Land boundaries, border countries": "neighbours neighbors bordering adjacent neighbouring neighboring touching",
    "Land use": "farmland forests agriculture cropland pasture usage",
    "Land use, agricultural land": "farmland farming farms cropland crops pasture arable grazing agriculture",
    "Land use, forest": "forests woods woodland wooded trees forested jungle",
    "Languages": "speak spoken speaking tongue tongues language dialects speech",
    "Legal system": "law laws courts jurisprudence judicial legislation code civil",
    "Legislative branch": "parliament congress legislature lawmakers assembly senate laws law legislation lawmaking mps",
    "Legislative branch, legislature name": "called named parliament congress",
    "Legislative branch, legislative structure": "bicameral unicameral chambers houses parliament",
    "Legislative branch, number of seats": "members mps legislators lawmakers size representatives",
    "Legislative branch, percentage of women in chamber": "female representation gender mps lawmakers parliament proportion",
    "Legislative branch, term in office": "length serve tenure mandate duration years",
    "Legislative branch, electoral system": "voting vote proportional plurality majoritarian representation elected",
    "Legislative branch, most recent election date": "last latest previous when vote polls held parliamentary",
    "Legislative branch, expected date of next election": "upcoming future when vote polls scheduled parliamentary",
    "Legislative branch - lower chamber": "house parliament assembly deputies representatives mps",
    "Legislative branch - lower chamber, chamber name": "called named house assembly",
    "Legislative branch - lower chamber, number of seats": "members mps deputies representatives size",
    "Legislative branch - lower chamber, parties elected and seats per party": "composition majority results won votes breakdown",
    "Legislative branch - lower chamber, percentage of women in chamber": "female representation gender mps deputies proportion",
    "Legislative branch - lower chamber, term in office": "length serve tenure mandate duration years",
    "Legislative branch - upper chamber": "senate senators council parliament",
    "Legislative branch - upper chamber, chamber name": "called named senate council",
    "Legislative branch - upper chamber, number of seats": "members senators size",
    "Legislative branch - upper chamber, percentage of women in chamber": "female representation gender senators proportion",
    "Legislative branch - upper chamber, term in office": "length serve tenure mandate duration years senators",
    "Life expectancy at birth": "longevity lifespan live living long old die average",
    "Life expectancy at birth, female": "women woman longevity lifespan live living",
    "Life expectancy at birth, male": "men man longevity lifespan live living",
    "Literacy": "read reading write writing literate illiterate illiteracy",
    "Literacy, female": "women girls read reading write literate",
    "Literacy, male": "men boys read reading write literate",
    "Location": "where located situated position region continent whereabouts",
    "Major aquifers": "groundwater underground aquifer wells",
    "Major lakes (area sq km)": "lake largest biggest freshwater inland waters",
    "Major lakes (area sq km), fresh water lake(s)": "freshwater inland largest biggest",
    "Major lakes (area sq km), salt water lake(s)": "saltwater saline salty brackish inland",
    "Major rivers (by length in km)": "river longest waterways streams flows",
    "Major urban areas - population": "cities city largest biggest towns metropolitan metro inhabitants",
    "Major watersheds (area sq km)": "basins basin drainage catchment rivers river",
    "Map references": "maps region continent located where atlas",
    "Maritime claims": "sea waters territorial offshore ocean nautical miles limits",
    "Maritime claims, territorial sea": "waters offshore nautical miles limits",
    "Maritime claims, exclusive economic zone": "eez offshore fishing nautical miles waters",
    "Maritime claims, contiguous zone": "offshore customs nautical miles waters adjacent",
    "Maritime claims, continental shelf": "seabed offshore undersea nautical seafloor",
    "Maternal mortality ratio": "mothers mother women childbirth pregnancy die deaths dying birth giving",
    "Median age": "average typical old older young ages midpoint",
    "Median age, female": "women woman average typical old",
    "Median age, male": "men man average typical old",
    "Merchant marine": "ships shipping vessels fleet boats tankers cargo commercial",
    "Merchant marine, by type": "ships vessels tankers container bulk cargo fleet",
    "Methane emissions": "ch4 greenhouse gas gases pollution emit emitted",
    "Methane emissions, agriculture": "livestock cattle cows farming farms rice",
    "Methane emissions, energy": "oil gas coal fossil leaks mining",
    "Methane emissions, waste": "landfills landfill garbage rubbish trash sewage",
    "Military Expenditures": "defence defense spending spend budget army armed forces arms share economy gdp",
    "Military and security forces": "army navy air force armed troops defence defense services branches police",
    "Military and security service personnel strengths": "troops soldiers army size armed forces active manpower sailors airmen serve serving members",
    "Military deployments": "troops abroad overseas deployed stationed peacekeeping missions bases",
    "Military equipment inventories and acquisitions": "weapons arms weaponry tanks aircraft warships hardware arsenal purchases",
    "Military service age and obligation": "conscription draft enlist enlistment conscripts compulsory mandatory voluntary join army",
    "Ministry of Interior": "police policing internal security gendarmerie homeland domestic",
    "Mother's mean age at first birth": "average old woman women firstborn child baby having motherhood",
    "National anthem(s)": "song hymn tune sung music lyrics patriotic",
    "National anthem(s), title": "song called named hymn",
    "National anthem(s), lyrics/music": "words composer composed wrote written lyricist",
    "National anthem(s), history": "adopted origin written composed",
    "National color(s)": "colours colour hues flag",
    "National heritage": "unesco landmarks monuments protected listed cultural natural",
    "National heritage, total World Heritage Sites": "unesco landmarks monuments protected listed cultural natural",
    "National heritage, selected World Heritage Site locales": "unesco landmarks monuments attractions famous protected",
    "National holiday": "day celebration celebrate celebrated commemoration anniversary festival observance",
    "National symbol(s)": "emblem emblems icon animal mascot represents",
    "Nationality": "citizens called demonym nationals inhabitants",
    "Nationality, adjective": "demonym describe called descriptive adjectival",
    "Nationality, noun": "demonym citizens called inhabitants residents native",
    "Natural gas": "lng methane fossil fuel cubic",
    "Natural gas, consumption": "use used usage demand consumes burned",
    "Natural gas, exports": "sells sold shipped abroad exported export pipeline",
    "Natural gas, imports": "buys bought imported import purchased abroad pipeline",
    "Natural gas, production": "produce produces produced output extracted pumped",
    "Natural gas, proven reserves": "deposits reserve fields underground remaining known left",
    "Natural hazards": "disasters disaster risks earthquakes floods hurricanes droughts volcanoes storms dangers",
    "Natural resources": "minerals mineral raw materials deposits mining wealth commodities ores",
    "Net migration rate": "immigration emigration migrants immigrants emigrants moving arrivals departures leaving",
    "Nuclear energy": "atomic reactors reactor power plants",
    "Nuclear energy, Number of operational nuclear reactors": "operating running atomic plants power active working",
    "Nuclear energy, Number of nuclear reactors under construction": "built building planned new atomic plants",
    "Nuclear energy, Number of nuclear reactors permanently shut down": "closed decommissioned retired shutdown atomic plants",
    "Nuclear energy, Net capacity of operational nuclear reactors": "gigawatts megawatts output power atomic",
    "Nuclear energy, Percent of total electricity production": "share atomic power generation generated",
    "Obesity - adult prevalence rate": "obese overweight fat weight heavy bmi",
    "Particulate matter emissions": "smog soot dust pollution air quality particles",
    "Petroleum": "oil crude barrels gasoline petrol fuel",
    "Petroleum, crude oil estimated reserves": "deposits proven barrels underground stock remaining",
    "Petroleum, refined petroleum consumption": "oil fuel gasoline petrol diesel use usage demand barrels",
    "Petroleum, total petroleum production": "oil output produce produces produced pumped barrels crude",
    "Physician density": "doctors doctor medics medical practitioners gps healthcare",
    "Political parties": "politics opposition ruling movements factions coalitions",
    "Population below poverty line": "poor poorest impoverished deprived destitute income low needy",
    "Population distribution": "concentrated concentration live living settled settlement spread where density inhabited",
    "Population growth rate": "growing increase expanding increasing shrinking change",
    "Population": "inhabitants residents citizens populace live living size headcount",
    "Population, female": "women woman females girls",
    "Population, male": "men man males boys",
    "Ports": "harbours harbors seaports docks port shipping maritime",
    "Ports, key ports": "harbours harbors seaports principal busiest important docks",
    "ports with oil terminals": "petroleum tanker tankers terminal harbours harbors",
    "Public debt": "national borrowing borrowed owes owe deficit sovereign state government",
    "Railways": "railroad railroads rail trains train track tracks lines network",
    "Real GDP (purchasing power parity)": "economy economic output size ppp wealth gross domestic product",
    "Real GDP growth rate": "economy economic growing expansion expanding recession grew",
    "Real GDP per capita": "income average wealth wealthy rich standard living person head",
    "Refugees and internally displaced persons": "asylum seekers fleeing fled uprooted exiles migrants idps",
    "Refugees and internally displaced persons, IDPs": "uprooted fled fleeing homeless domestic",
    "Refugees and internally displaced persons, refugees": "asylum seekers exiles fled fleeing sheltering hosting",
    "Refugees and internally displaced persons, stateless persons": "nationality citizenship without undocumented",
    "Religions": "religion faith faiths beliefs believe worship religious church denominations",
    "Remittances": "money sent home transfers migrants workers abroad diaspora",
    "Reserves of foreign exchange and gold": "forex holdings currency central bank savings assets",
    "Sanitation facility access": "toilets toilet latrines sewage sewer hygiene bathroom",
    "Sanitation facility access, improved": "toilets flush latrines sewer sewage hygienic",
    "Sanitation facility access, unimproved": "lacking open defecation toilets latrines unsafe",
    "School life expectancy (primary to tertiary education)": "schooling study studying years students pupils university",
    "Sex ratio": "gender balance males females men women",
    "Sex ratio, at birth": "newborns babies boys girls born",
    "Space agency/agencies": "programme program astronauts rockets satellites",
    "Space launch site(s)": "spaceport spaceports cosmodrome rocket rockets launchpad",
    "Space program overview": "programme satellites rockets astronauts exploration",
    "Suffrage": "vote voting voters right franchise ballot eligible",
    "Taxes and other revenues": "tax taxation income receipts collected government levies",
    "Telephones - fixed lines": "landline landlines phone phones home",
    "Telephones - fixed lines, subscriptions per 100 inhabitants": "landline phone density penetration",
    "Telephones - mobile cellular": "cell cellphones phones mobiles smartphone smartphones",
    "Telephones - mobile cellular, subscriptions per 100 inhabitants": "cellphone phone penetration density mobiles",
    "Terrain": "landscape topography relief mountains plains hills land surface geography",
    "Terrorist group(s)": "terrorism terrorists militants extremists extremist insurgents jihadist armed",
    "Tobacco use": "smoking smokers smoke cigarettes smoker",
    "Tobacco use, female": "women woman smoking smokers cigarettes",
    "Tobacco use, male": "men man smoking smokers cigarettes",
    "Total fertility rate": "children kids babies woman women average mother family size",
    "Total renewable water resources": "freshwater supply supplies rivers groundwater available",
    "Total water withdrawal": "usage use consumption abstraction draw freshwater",
    "Total water withdrawal, agricultural": "irrigation farming farms farm",
    "Total water withdrawal, industrial": "industry factories manufacturing",
    "Total water withdrawal, municipal": "household domestic drinking cities towns tap",
    "Trafficking in persons": "human slavery forced labour labor exploitation smuggling",
    "Trafficking in persons, tier rating": "human slavery ranking rank forced labour labor",
    "Unemployment rate": "jobless unemployed joblessness without work jobs out idle",
    "Urbanization": "cities city towns urban urbanisation metropolitan",
    "Urbanization, urban population": "cities city towns town metropolitan urbanisation live living share",
    "Urbanization, rate of urbanization": "urbanisation growth growing cities towns pace speed",
    "Waste and recycling": "garbage rubbish trash refuse recycle recycled",
    "Waste and recycling, municipal solid waste generated annually": "garbage rubbish trash refuse household",
    "Waste and recycling, percent of municipal solid waste recycled": "recycle recycles garbage rubbish trash reused",
    "Youth unemployment rate (ages 15-24)": "young jobless unemployed youngsters teenagers graduates jobs",
    "volcanism": "volcano volcanoes volcanic eruptions eruption lava",
}


def of(sentence: str, asked: set[str]) -> str:
    """The everyday words for the field a sentence gives ("Area, total: 17,098,242 sq km."), when the question's
    terms (asked) name its field ("Petroleum": oil) and share the most of them among the labels of that field: "How
    much crude oil does it produce?" is asked of "Petroleum, total petroleum production", not of "..., refined
    petroleum consumption", though both are oil. "" for a sentence that gives no field the table knows, a field not
    asked about, or another label of its field, and for a question naming a field in the Factbook's own words."""
    label = FIELD_LABEL.match(sentence)
    if not label:
        return ""
    whole = field_of(label.group(1).strip())[0]  # "Military Expenditures 2025": a field given year by year
    field = whole.split(",")[0].strip()
    named = labels_named(frozenset(asked))
    if named and field not in named:
        return ""
    words = " ".join(dict.fromkeys(filter(None, [_words(whole), _words(field)])))
    if not words:
        return ""
    if not (_terms(f"{field} {_words(field)}") & asked):
        return ""  # "Coal, production" answers no question about oil, however much is produced
    fit = _fit(whole, field, asked)
    best = max(_fit(other, field, asked) for other in {whole, *_family(field)})
    if any(_fit(wider, wider, asked)[0] >= fit[0] for wider in _widened(field)):
        return ""  # "jobless" asks for the "Unemployment rate", not the "Youth unemployment rate (ages 15-24)"
    return words if fit[0] and fit == best else ""


@functools.cache
def _widened(field: str) -> tuple[str, ...]:
    """The fields of the table that this field's label narrows with words before their own: "Unemployment rate" of
    "Youth unemployment rate (ages 15-24)" (a rate of the young), not "Population" of "Population growth rate" (a
    rate, not a population)."""
    head = re.sub(r"\s*\([^)]*\)", "", field).lower()
    return tuple(other for other in FIELD_WORDS if "," not in other and other != field and " - " not in head
                 and re.search(rf"\s{re.escape(other.lower())}$", head))


def _fit(label: str, field: str, asked: set[str]) -> tuple[int, int]:
    """How well a label's words fit the question: how many asked terms its words and its field's share, then how
    many its own words do ("president" is the chief of state's own word, only its field's for the head of
    government). A label without words of its own ("Life expectancy at birth, total population") is its field's
    main entry, whose words are its own; not one for the rest of the field ("Land use, other")."""
    own = _terms(_words(label) or ("" if is_rest(label) else _words(field))) & asked
    return len(own | (_terms(_words(field)) & asked)), len(own)


def is_rest(label: str) -> bool:
    """A label for the rest of its field ("Land use, other", "Alcohol consumption per capita, other alcohols")."""
    return "," in label and bool(re.match(r"\s*other\b", label.rsplit(",", 1)[1], re.I))


@functools.lru_cache(maxsize=1024)
def labels_named(asked: frozenset[str]) -> frozenset[str]:
    """The fields the question names in the Factbook's own words ("How many World Heritage Sites ...?"): the words
    of other fields ("heritage" of "Ethnic groups") would only lead away from them; their own labels' words still
    tell those labels apart ("Who wrote India's national anthem?": its lyrics/music, not its title)."""
    named = set()
    for label in FIELD_WORDS:
        field, *qualifiers = [_terms(piece) - MAIN_ENTRY for piece in label.split(",")]
        if field and field <= asked or any(len(q) >= 2 and q <= asked for q in qualifiers):  # not "at birth" alone
            named.add(label.split(",")[0].strip())
    return frozenset(named)


@functools.lru_cache(maxsize=1024)
def qualifier_asked(field: str, asked: frozenset[str]) -> bool:
    """The question asks for a qualified label of the field ("Where does the capital's name come from?": "Capital,
    etymology"), not its main entry ("Capital, name")."""
    return any((qualifier := _terms(label.rsplit(",", 1)[1]) - MAIN_ENTRY) and qualifier <= asked
               for label in _family(field) if "," in label)


def _words(label: str) -> str:
    return FIELD_WORDS.get(label, "")


@functools.cache
def _terms(words: str) -> frozenset[str]:
    return frozenset(terms(words))


@functools.cache
def _family(field: str) -> tuple[str, ...]:
    """The labels of the table of one field: "Petroleum" and "Petroleum, ..."."""
    return tuple(label for label in FIELD_WORDS if label == field or label.startswith(f"{field},"))


def terms_of(sentence: str, asked: set[str]) -> frozenset[str]:
    """The terms of of(sentence, asked)."""
    return _terms(of(sentence, asked))


FEW_FIELDS = 2  # a word of one or two fields names them ("defence"); a word of many is their subject ("population")


def better_field(sentence: str, asked: set[str]) -> str:
    """A Factbook field the question asks for rather than the one the sentence gives: a label whose words fit more
    asked terms (names aside) than the sentence and its label's words do, one at least of them few fields have
    ("What share of its economy goes to defence?" asks for "Military Expenditures", not "GDP - composition, by end
    use, government consumption", though both are shares of the economy; "What share of adults smoke?" for "Tobacco
    use", not "Obesity - adult prevalence rate"). "" when the sentence gives no field the table knows, or no field
    fits the question better."""
    whole = _known_field(sentence)
    if not whole:
        return ""
    fitted = (_label_terms(whole) | set(terms(sentence))) & asked
    fits = {other: _label_terms(other) & asked for other in FIELD_WORDS}
    better = [other for other, fit in fits.items()
              if len(fit) > len(fitted) and any(_fields_of(term) <= FEW_FIELDS for term in fit - fitted)]
    return max(better, key=lambda other: len(fits[other]), default="")


@functools.cache
def _fields_of(term: str) -> int:
    """How many fields' labels and everyday words have the term."""
    return len({label.split(",")[0].strip() for label in FIELD_WORDS if term in _label_terms(label)})


def claimed_elsewhere(claim: str, cited: list[str], question: str) -> str:
    """The field a claim states (what it says that its question asks too: "21.2% of Germany's economy is put into
    defence" of "What share of its economy does Germany put into defence?") when another field fits it better than
    the field of every cited sentence that gives one ("GDP - composition, by end use, government consumption: 21.2%"
    gives Military Expenditures); "" when a cited sentence's field fits as well as any, or none gives a field."""
    named = {t for name in names(question) for t in terms(name)}
    said = (set(terms(question)) - named) & set(terms(claim))
    fields = [better_field(sentence, said) for sentence in cited if FIELD_LABEL.match(sentence)] if said else []
    return fields[0] if fields and all(fields) else ""


@functools.cache
def _label_terms(label: str) -> frozenset[str]:
    """The terms a label fits: its own words and its field's, everyday and the Factbook's."""
    field = label.split(",")[0].strip()
    return _terms(label) | _terms(field) | _terms(_words(label)) | _terms(_words(field))


def closer_field(question: str, cited: str, others: list[str]) -> str:
    """A field given by one of `others` (the retrieved passages' sentences) that fits the question better than the
    field of `cited`, both fields the table knows and of different families. A field fits the terms of the question
    (names aside) that its label and everyday words share, for the cited field its line's too (a value such as
    "DUSHANBE (capital)"), and the names asked that its line states ("ASHGABAT" for "How many people live in
    Ashgabat?": a city's line, not its country's total). Another fits better when it shares more of them, all those
    the cited field shares among them, or as many when the question asks for its field's name alone and the cited
    field's name says more ("Population" rather than "Population growth rate" for "How large is India's
    population?"). A cited line that shares none of them says nothing of fields. "" when none fits better."""
    mine = _known_field(cited)
    if not mine:
        return ""
    named = frozenset(t for name in names(question) for t in terms(name))
    asked = frozenset(terms(question)) - named

    def fit(label: str, sentence: str, own: bool = False) -> frozenset[str]:
        stated = _terms(sentence)
        return (_label_terms(label) | (stated if own else frozenset())) & asked | stated & named

    def unasked(label: str) -> frozenset[str]:
        return _terms(label.split(",")[0]) - asked

    own = fit(mine, cited, own=True)
    if not own:
        return ""
    for sentence in others:
        other = _known_field(sentence)
        if not other or other.split(",")[0] == mine.split(",")[0]:
            continue
        theirs = fit(other, sentence)
        if theirs > own or theirs == own and not unasked(other) and unasked(mine):
            return other
    return ""


def _known_field(sentence: str) -> str:
    """The label a Factbook line gives ("Population, total" of "Population, total: 84,625,585 (2025 est.)."), when
    the table knows it or its field; "" for any other sentence."""
    label = FIELD_LABEL.match(sentence)
    if not label:
        return ""
    whole = field_of(label.group(1).strip())[0]
    return whole if whole in FIELD_WORDS or whole.split(",")[0].strip() in FIELD_WORDS else ""

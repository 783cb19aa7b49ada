"""Safer Plymouth's Community Safety Fund 2017-18, transcribed from the seeds: the January 2017
commissioning intentions (board pack of 24 January 2017) and the half-year return to the OPCC
for Devon and Cornwall (projects A-H, service specifications in its appendices B-D).

Data only; ``saferhub.demo.commissioning`` loads it through the services."""

from __future__ import annotations

import datetime as dt

D = dt.date

PCC = "Office of the Police and Crime Commissioner for Devon and Cornwall"
INTEGRATED = "Integrated commissioning (Plymouth City Council and NEW Devon CCG)"

# name -> (kind, charity number, company number). Numbers only where we are sure of them.
ORGANISATIONS = {
    PCC: ("pcc", "", ""),
    "Sanctuary Housing Association": ("charity", "", ""),
    "First Light": ("charity", "", ""),
    "The Harbour Centre": ("charity", "", ""),
    "Barnardo's": ("charity", "216250", ""),
    "Plymouth City Council": ("local_authority", "", ""),
}

AS_AT = D(2017, 1, 24)
# When each figure became known or committed, so that a paper dated earlier leaves it out
# (saferhub.domain.commissioning_paper). The January paper already states the award for
# 2017-18 ("awarded a total of £400,568 for each year") and confirms three intentions.
AWARD_DECIDED_ON = AS_AT
# The 2016/17 grant carried forward is known once that year has closed.
CARRIED_FORWARD_ON = D(2017, 4, 1)
# The return's dates where it gives them (D: contract awarded 4 August; E: procured in October;
# G: provider starts 16 October); the continuing contracts (A, B, C) and the council's own work
# (F) from the first day of the year; H is allocated in the return itself (3 November 2017).
COMMITTED_ON = {
    "A": D(2017, 4, 1),
    "B": D(2017, 4, 1),
    "C": D(2017, 4, 1),
    "D": D(2017, 8, 4),
    "E": D(2017, 10, 1),
    "F": D(2017, 4, 1),
    "G": D(2017, 10, 16),
    "H": D(2017, 11, 3),
}
INTENTIONS = [
    (
        "Ensure we support victims of Domestic Abuse with an integrated service containing the different elements necessary to provide an holistic response to the needs of victims and their families.",
        "Continue to commission the Plymouth Domestic Abuse contract",
        "confirmed",
        "110000",
        "501753",
        "",
    ),
    (
        "Ensure that we support victims of sexual violence with access to therapeutic counselling services",
        "Continue to commission a therapeutic counselling service for victim of sexual assault for 2017 – 2018. Post 2018, it is anticipated that commissioning of this service will be aligned with the mental health framework for the CCG.",
        "confirmed",
        "25000",
        "75000",
        "",
    ),
    (
        "Ensure access to an alcohol and substance misuse programme that will ensure those at risk of committing crime or being a victim of crime are supported with appropriate treatment.",
        "Continue to commission a community drug and alcohol treatment programme",
        "confirmed",
        "98500",
        "2000000",
        "£2m",
    ),
    (
        "Both CSE and PDAP groups have identified a need for earlier intervention and awareness work with children and young people in relation to CSE and Domestic Abuse via healthy relationships. There are no services commissioned within Plymouth.",
        "Work with PDAP and MACSE to scope, commission and deliver Healthy Relationship work with schools that covers CSE and DA",
        "awaiting",
        None,
        None,
        "",
    ),
    (
        "Ensure key themes are kept high profile with the public and professionals via training, campaigns and awareness raising events.",
        "Explore opportunities to commission a co-ordinated 12 month plan of this activity to include Hate Crime, Prevent, Modern Slavery, Cyber-crime, scams and CSE.",
        "tbc",
        None,
        None,
        "",
    ),
    (
        "Anti-Social behaviour is low level in the city but when it does occur it is a blight on the victims life. It is considered good practice to ensure we continue to address ASB.",
        "Develop existing services so they are responsive to the needs of emerging ASB such as projects for targeted youth work.",
        "tbc",
        None,
        None,
        "",
    ),
    (
        "It has been considered good practice to keep funding for emerging threat risk and harm for example modern slavery emergency need.",
        "Develop existing services so they are responsive to emerging crime.",
        "tbc",
        None,
        None,
        "",
    ),
    (
        "To ensure key analysis such as OCLPs is available for Safer Plymouth and its partners to assist with evidence based decision making, develop business plans and identify key activities.",
        "Support Safer Plymouth to develop a strong infrastructure and connect with the system to enable the delivery of the community safety outcomes within the Plymouth Plan.",
        "tbc",
        None,
        None,
        "",
    ),
]


def kpi(name, measure, target, evidence, mechanism, value=None):
    return {
        "name": name,
        "measure": measure,
        "annual_target": target,
        "target_value": value,
        "evidence_source": evidence,
        "reporting_mechanism": mechanism,
    }


# Project A's outcome measures (the seed return's "Intended Outcomes", 004) as KPIs, so that its
# provider can enter actuals against them; "Staff trained are satisfied" has no figure and stays an outcome.
KPIS_A = [
    kpi(
        "Victims engaging who are supported to minimise risk",
        "% of victims engaging with the service supported to minimise risk to themselves and others",
        "100%",
        "Quarterly performance returns",
        "Quarterly performance returns",
        "100",
    ),
    kpi(
        "Referred victims who engage",
        "% of victims referred to the service who engage with it",
        "75% or above",
        "Quarterly performance returns",
        "Quarterly performance returns",
        "75",
    ),
    kpi(
        "Re-referral rate",
        "% of victims referred to the service again",
        "Below 20%",
        "Quarterly performance returns",
        "Quarterly performance returns",
        "20",
    ),
    kpi(
        "Planned exits",
        "% of victims exiting the service who do so in a planned way",
        "90%",
        "Quarterly performance returns",
        "Quarterly performance returns",
        "90",
    ),
]

KPIS_D = [
    kpi("Written scope", "Business case", "1", "Report", "To commissioner by Jan 2018", "1"),
    kpi(
        "Delivery of direct interventions to members of schools community (as prioritised and agreed by Commissioner)",
        "Number of sessions offered per annum to school community and % take up",
        "To be agreed once priorities set with commissioner",
        "Number of sessions offered; % Attendance",
        "Written report by April 2018",
    ),
    kpi(
        "Learning outcomes met",
        "% of attendees who have had their learning outcomes met from training (both within school and held centrally)",
        "90%",
        "Training evaluation forms",
        "Annual return",
        "90",
    ),
    kpi(
        "Schools engaged",
        "Successfully engage with schools within the priority for the delivery of the programme on an annual basis",
        "100%",
        "Number of schools engaged",
        "Annual return",
        "100",
    ),
    kpi(
        "Added value secured to develop programme delivery for participation of CYP in scope development",
        "£ income and/or in kind provision, directly generated grants or supported",
        "£15,000",
        "Finances",
        "On-going",
        "15000",
    ),
]
OUTCOMES_D = [
    (
        "School community will have improved awareness of healthy relationships",
        "Young people have increased awareness and report they can contextualise their own and others' relationships; differentiate positive and negative relationships; understand grooming, pressures, consent, risky behaviour and staying safe online (to be finalised with commissioner). Target 90% of attendees; stakeholder feedback; annual return and Plymouth Schools Health Related Behaviour Survey.",
    ),
    (
        "Young people will have improved personal resources including resilience, confidence and self-esteem",
        "Numbers of young people (male:female:describe myself in some other way) with improved understanding of a healthy relationship, who know how to seek help, who would seek help. Target 90% of attendees; young people's feedback.",
    ),
    (
        "Increased timely access to early intervention and specialist support as appropriately required",
        "Number of young people self-reporting an increase (priority group to be agreed with Commissioner). Target to be confirmed; citywide referral and disclosure data (PDAS, SARC, schools).",
    ),
]
KPIS_E = [
    kpi("A coordinated plan of activity", "12 month plan", "1", "Plan", "To commissioner by mid-December 2017", "1"),
    kpi(
        "Direct delivery of 2 conferences (2017 Prevent and one other), 1 Week of Action and 3 campaigns",
        "Number of sessions offered and % take up",
        "To be agreed with commissioner and theme leads; 90% take up",
        "Number of sessions offered; % Attendance",
        "Written report after each activity followed by an annual return by April 2018",
    ),
    kpi(
        "Learning outcomes met",
        "% of attendees who have had their learning outcomes met",
        "90%",
        "Evaluation forms",
        "Written report after each activity followed by an annual return by April 2018",
        "90",
    ),
    kpi(
        "Reach",
        "Numbers successfully engaged with/reached at events and/or website hits/retweets",
        "100%",
        "Attendance figures, website or social media data",
        "Written report after each activity followed by an annual return by April 2018",
        "100",
    ),
]
OUTCOMES_E = [
    (
        "Plymouth citizens will have improved awareness of community safety issues/priorities",
        "Report they have increased awareness (90% of attendees, stakeholder feedback); increased uptake of services (5% increase, citywide services).",
    ),
    (
        "People will have improved confidence to report",
        "Numbers of people reporting improved understanding of community safety issues, who know how to seek help or advice, who would seek help if they required (90% of attendees/people).",
    ),
    (
        "Professionals will have increased knowledge",
        "Increases in understanding of issues among participants after awareness training; increased confidence and ability to address discrimination.",
    ),
    (
        "Increased timely access to early intervention and specialist support as appropriately required",
        "Number of people self-reporting an increase (priority groups to be agreed with Commissioner): 5% increase; National Referral Mechanism, PDAS, SARC, schools.",
    ),
]
KPIS_B = [
    kpi(
        "Counselling appointments delivered",
        "Appointments delivered against the plan for the period",
        "274 planned in the period reported",
        "Contract return",
        "Quarterly contract review",
        "274",
    ),
    kpi(
        "Cancellations and DNAs",
        "Appointments cancelled or not attended",
        "To be agreed",
        "Contract return",
        "Quarterly contract review",
    ),
]
KPIS_F = [
    kpi(
        "Operations targeting reduction of ASB",
        "Number of operations in City targeting reduction of ASB",
        "To be agreed",
        "Community Connections records",
        "Half-year return",
    ),
    kpi(
        "Early intervention solutions",
        "Number of early intervention solutions implemented across the City",
        "To be agreed",
        "Community Connections records",
        "Half-year return",
    ),
    kpi(
        "Emerging issues responded to",
        "Number of emerging issues identified and service response implemented",
        "To be agreed",
        "Community Connections records",
        "Half-year return",
    ),
    kpi(
        "Customer feedback",
        "Customer feedback",
        "To be agreed",
        "Consultation and feedback submissions",
        "Half-year return",
    ),
    kpi(
        "Stage 1 ASB cases escalating to stage 2",
        "% of stage 1 ASB cases escalating to stage 2 (lower is better)",
        "To be agreed",
        "ASB escalation process records",
        "Half-year return",
    ),
]
MILESTONES_G = [
    ("Distribute request for quotation (RFQ)", D(2017, 9, 11), "", "All interested parties identified", True),
    ("Responses to request for quotation (RFQ)", D(2017, 10, 6), "", "All interested parties responded", True),
    ("Assessment of RFQs", D(2017, 10, 13), "", "Manager + evaluation criteria", False),
    ("Appointment of successful provider", D(2017, 10, 13), "", "Manager", False),
    ("Successful provider starts", D(2017, 10, 16), "", "Successful provider formalised agreement", False),
    (
        "Pilot programme delivery commences",
        D(2018, 1, 31),
        "January 2018",
        "Successful provider; pilot outlined; schools selected; evaluation criteria in place",
        False,
    ),
    ("Pilot programme finishes", D(2018, 6, 30), "June 2018", "Successful provider", False),
    ("Pilot evaluation submitted", D(2018, 7, 31), "July 2018", "Successful provider", False),
    ("Pilot evaluation assessed by PCC", D(2018, 8, 31), "August 2018", "Manager", False),
]

# letter -> the project's record (fields of Project plus cofunders/outcomes/kpis/milestones),
# and its 2017-H1 return (narratives, spend lines, KPI actuals by KPI position, RAG).
PROJECTS = {
    "A": {
        "title": "Plymouth Domestic Abuse Service",
        "amount": "160200",
        "provider": "Sanctuary Housing Association",
        "intention": 0,
        "commissioning_body": INTEGRATED,
        "carried_forward_included": "27678",
        "share_of_service": "approx. 1/3",
        "total_service_budget": "501753",
        "contract_end": D(2017, 12, 31),
        "funding_note": "The carry-forward, from the 2016/17 grant, pays for an additional IDVA and MARAC co-ordinator. An additional £5,000 has been invested in further workforce development of DASH training.",
        "expenditure_breakdown": "Provision of a refuge, dispersed units, support, IDVA and MARAC services, DASH training",
        "how_measured": "The Plymouth Domestic Abuse Service contract receives ongoing contract monitoring including quarterly performance returns and review meetings.",
        "cofunders": [("Plymouth City Council (core budget)", None, "the remainder of the service")],
        "outcomes": [
            (
                "100% of victims engaging with the service are supported to minimise risk to themselves and others, as well as achieving other positive outcomes",
                "Quarterly performance returns",
            ),
            (
                "75% or above of victims referred to the service engage with the service",
                "Quarterly performance returns",
            ),
            ("Re-referral rate is below 20%", "Quarterly performance returns"),
            ("Staff trained are satisfied", "Training feedback"),
            ("90% of victims exiting the service do so in a planned way", "Quarterly performance returns"),
        ],
        "kpis": KPIS_A,
        "return": {
            "rag": "achieved",
            "spend": [("Refuge, dispersed units, support, IDVA and MARAC services, DASH training", "80100")],
            "achieved": "Outcomes for the service clients continue to remain high with reports of achieving 100% positive outcomes.\n\nThere was a smooth continuation of the MARAC co-ordinator function. In excess of 100 people have received DASH training in the first quarter therefore additional investment has been secured.\n\nReferral levels remain high and some additional work has been carried out in partnership with the new Community Connections Team to resolve move on housing issues. This is creating additional capacity not just within this service but within the wider housing system.\n\nThe uptake of the sanctuary scheme has not happened to date. This is not a reflection on the service providers but due to a number of staff changes within the Police delaying the changes required to the referral pathways for this scheme.",
            "actions": "Additional funding for the MARAC coordinator post to be reviewed with the wider system.",
        },
    },
    "B": {
        "title": "Therapeutic Counselling for victims of sexual violence",
        "amount": "25000",
        "provider": "First Light",
        "intention": 1,
        "commissioning_body": INTEGRATED,
        "share_of_service": "1/3",
        "total_service_budget": "75000",
        "provider_note": "Previously Twelves Company",
        "expenditure_breakdown": "Full cost recovery spreadsheet is available on request and is shared with the Peninsula SARC Board",
        "how_measured": "The contract with First Light (previously Twelves Company) is subject to quarterly contract review meetings. Performance indicators monitored quarterly include positive responses by service users to a Cope and Recover questionnaire and the national SARC indicators for counselling wait times. A local SARC Board and a Peninsula SARC Board provide ongoing governance, support and quality assurance.",
        "cofunders": [("NHS England", "25000", ""), (PCC, "25000", "a further contribution from the OPCC")],
        "outcomes": [
            (
                "Victims of sexual violence have access to therapeutic counselling services, and service users are better able to cope with the experience they have had and recover from it",
                "Cope and Recover questionnaire; national SARC indicators for counselling wait times",
            )
        ],
        "kpis": KPIS_B,
        "return": {
            "rag": "achieved",
            "spend": [("Therapeutic counselling (full cost recovery)", "37500")],
            "actuals": {
                0: ("185", "only 68% of the planned 274 appointments, through lack of capacity"),
                1: ("41", "in the first quarter; to be picked up by the Plymouth SARC Board"),
            },
            "achieved": "Overall outcomes and experiences for clients remain good. Some lack of capacity has meant that volumes are not as high as expected (185 actual appointments against a planned 274, only 68% of the target) but outcomes are positive and illustrate good progress for clients. Distance travelled by clients between assessment and final session remained positive across the outcome star (coping with everyday life, feeling positive about the future, being in control, healthy lifestyle, achieving goals, independence, relationships, support network, valuing oneself, confidence, coping with stress, managing emotions).\n\nIn the first quarter there was also a high level of cancellations and DNAs (41 in total); this will be picked up by the wider Plymouth SARC Board. The full contract return is available on request.",
            "actions": "Recruitment has taken place and First Light enters the 2nd quarter with no vacancies.\n\nSlight delay in receiving 2nd quarter data due to the service focusing on the current regional reprocurement of SARCs.\n\nThe Plymouth and Peninsula SARC Boards continue to provide oversight and governance to ensure issues are supported to be resolved.",
        },
    },
    "C": {
        "title": "The Harbour Centre – community based drugs and alcohol treatment – the criminal justice team",
        "amount": "98500",
        "provider": "The Harbour Centre",
        "intention": 2,
        "commissioning_body": INTEGRATED,
        "share_of_service": "approx. 1/10",
        "total_service_budget": "2000000",
        "expenditure_breakdown": "Part of a commissioned service; a full cost recovery is available on request",
        "how_measured": "As a commissioned service: contract review meetings, quarterly performance monitoring and the National Diagnostic Outcomes Monitoring Executive Summary (DOMES).",
        "outcomes": [
            (
                "Access to an alcohol and substance misuse programme that ensures those at risk of committing crime or being a victim of crime are supported with appropriate treatment",
                "DOMES: proportion of the treatment population in contact with the criminal justice system; successful completions of CJ clients; CJ clients who completed and re-presented within 6 months; each against the national average",
            )
        ],
        "return": {
            "rag": "achieved",
            # The seed's three DOMES tables as tables (a paragraph: a title line, then "|" rows).
            "achieved": (
                "DOMES for Q1 2017 (official statistics), Plymouth against the national average. The most recent full "
                "DOMES report for Plymouth is attached, and the Harbour Centre's narrative report is in appendix A.\n\n"
                "1. Proportion of the treatment population in contact with the CJ system\n"
                "| | Plymouth Q1 % | Plymouth Q1 (n) | National average %\n"
                "| Opiate | 26 | 329/1265 | 21.6\n| Non opiate | 18.3 | 15/82 | 15\n"
                "| Alcohol | 6.3 | 22/347 | 7\n| Alcohol and non opiate | 7 | 8/115 | 12.7\n\n"
                "Comment: we have a higher percentage of people in touch with the CJ system than other areas. This reflects "
                "both our levels of complexity and the many years of partnership working in the city.\n\n"
                "2. Successful completions as a proportion of CJ clients of all in treatment\n"
                "| | Plymouth Q1 % | Plymouth Q1 (n) | National average %\n"
                "| Opiate | 5.8 | 19/329 | 4.6\n| Non-opiate | 20 | 3/15 | 38.8\n"
                "| Alcohol | 22.7 | 5/22 | 41.1\n| Alcohol and non-opiate | 50 | 4/8 | 35.3\n\n"
                "Comment: note the small numbers in all categories other than 'opiate', whereby very small changes in "
                "numbers can have large percentage effects. Opiate use is more criminogenic than other drug use and there "
                "is a clear relationship between treatment and crime reduction, hence CJ agencies refer cases; for other "
                "drugs, e.g. alcohol, the relationship is much less clear and referrals tend to be lower.\n\n"
                "3. Proportion of CJ clients who successfully completed in the first 6 months of the latest 12 month period and re-presented within 6 months\n"
                "| | Plymouth Q1 % | Plymouth Q1 (n) | National average %\n"
                "| Opiate | 0.0 | 0/8 | 14.9\n| Non-opiate | 0.0 | 0/3 | 4.2\n"
                "| Alcohol | 0.0 | 0/1 | 7.4\n| Alcohol and non-opiate | 0.0 | 0/3 | 8.1\n\n"
                "Comment: lower percentages normally mean better performance in this domain, but this quarter our local "
                "numbers are so small that no meaningful conclusions can be drawn; statistics are reported cumulatively, "
                "so the picture will firm up as the year progresses.\n\n"
                "Plymouth's drug treatment cohort is of greater complexity than most other areas, so comparison with the "
                "national average gives a less true picture than comparison with our Local Outcome Comparators (LOC) would; "
                "the nationally compiled DOMES report does not yet include LOC data."
            ),
            "actions": "The additional capacity for treatment made available by this funding continues to be 'flexible' to the needs of the system including the provider, to focus support on the current need and pressures.",
        },
    },
    "D": {
        "title": "Healthy Relationships",
        "amount": "43500",
        "provider": "Barnardo's",
        "intention": 3,
        "commissioning_body": INTEGRATED,
        "contract_start": D(2017, 8, 4),
        "provider_note": "Barnardo's (lead agency) and NSPCC partnership, both registered charities",
        "expenditure_breakdown": "As a commissioned service a full cost recovery is available on request",
        "how_measured": "Contract review meetings; performance monitored against the outcomes and KPIs of the service specification (appendix B). A steering group provides oversight of performance.",
        "cofunders": [],
        "outcomes": OUTCOMES_D,
        "kpis": KPIS_D,
        "return": {
            "rag": "achieved",
            "spend": [("Commissioned service (approximate, full cost recovery on request)", "14300")],
            "achieved": "The contract was awarded on 4 August to the lead agency Barnardo's. Progress has been made with extensive research, scoping, participation and consultation with young people. All is on track to receive the preferred model for Plymouth young people and schools by January 2018, including a timetable for delivery of a pilot in schools between January and April 2018. The steering group has had its first meeting with a follow up planned for December.",
            "actions": "All currently on track.",
        },
    },
    "E": {
        "title": "Community Safety Awareness Raising",
        "amount": "36000",
        "provider": "The Harbour Centre",
        "intention": 4,
        "commissioning_body": INTEGRATED,
        "share_of_service": "65%",
        "funding_note": "£30,000 via a commissioned service and contract, and £6,000 for PCC corporate communications and CSC for design, branding and staff. Some 'in kind' support is also likely as the programme emerges.",
        "expenditure_breakdown": "None to date: procured in October 2017, to be spent during the final 6 months",
        "how_measured": "As a commissioned service the contract will be regularly monitored against the agreed KPIs and outcomes within the service specification (appendix C).",
        "cofunders": [("Home Office", "20000", "EVGE initiatives: match funding")],
        "outcomes": OUTCOMES_E,
        "kpis": KPIS_E,
        "return": {
            "rag": "on_track",
            "achieved": "Match funding has been achieved; contract issued to provider and kick off meeting has been planned.",
            "actions": "All on track to achieve outcomes.",
        },
    },
    "F": {
        "title": "ASB, low level and emerging crime",
        "amount": "16046",
        "provider": "Plymouth City Council",
        "intention": 5,
        "commissioning_body": "Plymouth City Council",
        "provider_note": "The council's Community Connections team delivers it",
        "expenditure_breakdown": "Recovery café venue, Modern Slavery operations, ASB and PSPO materials",
        "how_measured": "Number of operations in the City targeting reduction of ASB; number of early intervention solutions implemented; number of emerging issues identified and service response implemented; customer feedback; number of stage 1 ASB cases which do not progress to stage 2 as a result of the intervention.",
        "outcomes": [
            (o, "")
            for o in (
                "Work in neighbourhoods where ASB is an issue",
                "Explore prevention methods to develop creative solutions for early intervention and prevention of ASB",
                "Respond, and resource emerging issues",
                "Communities see a response to ASB",
                "Increased reporting of ASB",
                "Communities and citizens feel safe",
                "Reduce levels of ASB in the City",
                "Reduce number of ASB cases at stage 1 escalating to stage 2",
            )
        ],
        "kpis": KPIS_F,
        "return": {
            "rag": "on_track",
            "spend": [
                ("Rental of Four Greens Community Centre for delivery of Recovery café", "700"),
                ("Contribution to Modern Slavery operations", "200"),
                ("ASB stationery", "134"),
                ("PSPO materials", "45"),
                ("ASB enforcement materials", "251.06"),
            ],
            "actuals": {
                0: (
                    "4",
                    "Stonehouse PSPO; tombstoning on Plymouth Hoe (5 stage 2 interventions); 4 DPPOs converted to PSPOs; 7 premises closure orders",
                ),
                1: ("1", "Recovery Café at Four Greens Community Centre: 10 members engaged"),
                2: (
                    "6",
                    "Modern Slavery operations (4 in NCA action weeks); 1 person supported through the NRM; 77 intelligence submissions 1 April – 16 October",
                ),
                3: ("148", "positive feedback submissions to the Stonehouse PSPO consultation"),
                4: ("20", "down from 64% in 2016"),
            },
            "achieved": "Operations: Stonehouse PSPO consultation (148 positive submissions) and implementation from the end of October 2017, targeting street drinking, begging and fouling; response to tombstoning and associated ASB on Plymouth Hoe (5 ASB stage 2 interventions); in October 2017 4 DPPOs converted to PSPOs in line with the Crime and Policing Act 2014, with new signage across the City; 7 premises closure orders, all eradicating ASB from the addresses.\n\nEarly intervention: Recovery Café at Four Greens Community Centre, 10 members engaged.\n\nEmerging issues: Modern Slavery, 6 operations (4 in NCA action weeks), 1 individual supported through the NRM process; 77 intelligence submissions 1 April – 16 October, an increase on the previous year.\n\nASB across the City down 4% on 1 April – 30 September 2016. Escalations from ASB stage 1 to stage 2 down from 64% in 2016 to 20% in this period.",
            "actions": "Community Connections work in close partnership with partner agencies identifying, preventing and responding to ASB and emerging issues, through a Neighbourhood Problem Solving Group linked with the police TIMS meetings:\n\n• Operation Greywild: a rise in City Centre ASB by a group of young people is targeted with youth outreach, diversionary activities and ASB escalation where appropriate.\n• PSPOs are under consideration for Mutley and North Hill, linked with alcohol harm reduction.\n• Operation Dalitron raises awareness of CSE in areas of particular risk (funfair, circus grounds); a multi-agency operation is planned for December.\n• Operation Plympton: outreach youth work and ASB escalation in Plympton.\n• NCA action weeks are supported to identify victims of Modern Slavery.\n\nA full spend is anticipated by the end of the financial year.",
        },
    },
    "G": {
        "title": "Prevent – Schools Based Empathy Pilot",
        "amount": "10000",
        "provider": None,
        "commissioning_body": "Plymouth City Council",
        "provider_note": "Provider being procured by Plymouth City Council (request for quotation)",
        "expenditure_breakdown": "None to date: planned spend this financial year",
        "how_measured": "As a commissioned service the contract will be monitored against the specification (appendix D). A steering group provides governance and oversight.",
        "outcomes": [
            (o, "Programme evaluation framework")
            for o in (
                "Demonstrable change in social and emotional competence and increased empathy amongst children",
                "Positive changes have been achieved in children's attitudes and behaviours",
                "Children's understanding of different beliefs and values has improved",
                "Increased perception of valuing and celebrating local community",
                "A greater understanding of British Values amongst children and their community",
            )
        ],
        "milestones": MILESTONES_G,
        "return": {
            "rag": "on_track",
            "achieved": "Currently within a competitive procurement exercise. A positive outcome and contract award are expected by the beginning of November.",
            "actions": "We will keep to timescale and commit to spending £8k on this project by the end of the financial year. A steering group with the Police and the Diverse Community Team drives this forward, reporting to the Prevent lead, who reports to Safer Plymouth and ONE Plymouth. The evaluation criteria, outcomes and milestones will be used to evaluate the programme regularly.",
        },
    },
    "H": {
        "title": "Safer Plymouth infrastructure and intelligence",
        "amount": "39000",
        "provider": None,
        "intention": 7,
        "commissioning_body": INTEGRATED,
        "provider_note": "To be commissioned this financial year",
        "expenditure_breakdown": "None: planned spend to be commissioned this financial year",
        "how_measured": "Not yet set: the outcomes and outputs will come from the service specification being developed with key stakeholders.",
        "outcomes": [
            (
                "Key analysis is available for Safer Plymouth and its partners to assist with evidence based decision making, develop business plans and identify key activities",
                "Delivery of the products: partnership plan, needs assessments, dashboards, area profiles, delivery plans, partnership performance",
            ),
            (
                "Safer Plymouth has a strong infrastructure and connects with the system to deliver the community safety outcomes of the Plymouth Plan; a strong partnership has confidence in its decision making",
                "To be set in the service specification",
            ),
        ],
        "return": {
            "rag": "behind",
            "achieved": "A number of conversations across the partnership have taken place to identify and clarify the full extent of need. Benchmarking across the Peninsula, including exploring opportunities for collaboration, e.g. commissioning the Cornwall Amethyst team or using the role profile shared by Safer Devon to recruit an analyst.",
            "actions": "None recorded in the return: the next step is to complete the service specification and commission the work this financial year.",
        },
    },
}

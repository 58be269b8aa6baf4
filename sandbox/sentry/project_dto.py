"""Project documents -> the API's project shapes (summary, with teams, detailed), per the spec's schemas.

Stored projects keep the API's field names; ``teams`` holds team ids. Fields the API can change are
stored; everything else is a constant of a fresh project that has received no events.
"""

import hashlib
from typing import Any

from sandbox.sentry import orgs, repo

Doc = dict[str, Any]

FEATURES = [
    "alert-filters", "custom-inbound-filters", "discard-groups", "minidump", "rate-limits", "servicehooks",
    "similarity-indexing", "similarity-indexing-v2", "similarity-view", "similarity-view-v2",
]  # fmt: skip
ACCESS = [
    "alerts:read", "alerts:write", "event:admin", "event:read", "event:write", "member:read",
    "org:integrations", "org:read", "project:admin", "project:read", "project:releases", "project:write",
    "team:admin", "team:read", "team:write",
]  # fmt: skip
HAS_FLAGS = [
    "hasFeedbacks", "hasFlags", "hasMinifiedStackTrace", "hasMonitors", "hasNewFeedbacks", "hasProfiles",
    "hasReplays", "hasSessions", "hasInsightsHttp", "hasInsightsDb", "hasInsightsAssets",
    "hasInsightsAppStart", "hasInsightsScreenLoad", "hasInsightsVitals", "hasInsightsCaches",
    "hasInsightsQueues", "hasInsightsAgentMonitoring", "hasInsightsMCP", "hasLogs", "hasTraceMetrics",
]  # fmt: skip

# Settings a PUT may change, with the values of a new project.
EDITABLE: Doc = {
    "isBookmarked": False,
    "subjectPrefix": "",
    "subjectTemplate": "$shortID - $title",
    "resolveAge": 0,
    "digestsMinDelay": 300,
    "digestsMaxDelay": 1800,
    "allowedDomains": ["*"],
    "highlightTags": [],
    "highlightContext": {},
    "enableAutoReleaseCreation": True,
    "scmSourceContextEnabled": False,
}
DETAIL_CONSTANTS: Doc = {
    "options": {
        "sentry:scrub_data": True,
        "sentry:scrub_defaults": True,
        "filters:react-hydration-errors": True,
    },
    "dataScrubber": True,
    "dataScrubberDefaults": True,
    "safeFields": [],
    "storeCrashReports": None,
    "sensitiveFields": [],
    "securityTokenHeader": None,
    "verifySSL": False,
    "scrubIPAddresses": False,
    "scrapeJavaScript": True,
    "highlightPreset": {"tags": [], "context": {}},
    "groupingConfig": "newstyle:2023-01-11",
    "derivedGroupingEnhancements": "",
    "groupingEnhancements": "",
    "secondaryGroupingExpiry": 0,
    "secondaryGroupingConfig": None,
    "fingerprintingRules": "",
    "platforms": [],
    "processingIssues": 0,
    "defaultEnvironment": None,
    "relayPiiConfig": None,
    "builtinSymbolSources": ["ios", "microsoft", "android", "nuget"],
    "dynamicSamplingBiases": None,
    "symbolSources": "[]",
    "isDynamicallySampled": False,
    "tempestFetchScreenshots": False,
    "autofixAutomationTuning": "off",
    "seerScannerAutomation": True,
    "seerNightshiftTweaks": None,
    "debugFilesRole": None,
    "latestRelease": None,
}


def base(project: Doc) -> Doc:
    """The plain project serializer (``team.projects[]`` and the team link endpoints)."""
    return {
        "id": str(project["id"]),
        "slug": project["slug"],
        "name": project["name"],
        "platform": project["platform"],
        "dateCreated": project["dateCreated"],
        "isBookmarked": project.get("isBookmarked", False),
        "isMember": True,
        "features": FEATURES,
        "firstEvent": None,
        "firstTransactionEvent": False,
        "access": ACCESS,
        "hasAccess": True,
        **dict.fromkeys(HAS_FLAGS, False),
        "isInternal": False,
        "isPublic": False,
        "avatar": {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None},
        "color": "#" + hashlib.md5(project["slug"].encode(), usedforsecurity=False).hexdigest()[:6],
        "status": "active",
    }


def with_teams(project: Doc) -> Doc:
    refs = team_refs(project)
    return {**base(project), "team": refs[0] if refs else None, "teams": refs}


def summary(project: Doc) -> Doc:
    """Creation responses and project lists."""
    return {
        **with_teams(project),
        "latestDeploys": None,
        "options": {},
        "platforms": [],
        "hasUserReports": False,
        "environments": environment_names(project),
        "latestRelease": None,
    }


def detailed(project: Doc) -> Doc:
    """``GET``/``PUT /projects/{org}/{proj}/``."""
    org = repo.get(orgs.ORGANIZATIONS, orgs.ORG_ID) or {}
    editable = {key: project.get(key, default) for key, default in EDITABLE.items()}
    return {
        **with_teams(project),
        **DETAIL_CONSTANTS,
        **editable,
        "securityToken": project["securityToken"],
        "organization": orgs.summary(org),
    }


def team_refs(project: Doc) -> list[Doc]:
    teams = [repo.get(repo.TEAMS, team_id) for team_id in project["teams"]]
    return [{"id": str(t["id"]), "name": t["name"], "slug": t["slug"]} for t in teams if t is not None]


def environment_names(project: Doc) -> list[str]:
    return [env["name"] for env in repo.find(repo.ENVIRONMENTS) if project["id"] in env["projects"]]

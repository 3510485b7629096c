"""Drives the Data Center sandbox with the real python-jira client (Debian's python3-jira).

Prints one JSON object of observations; the Node test asserts on them against the sandbox's state.
"""
import json
import os
import sys

from jira import JIRA
from jira.exceptions import JIRAError

url = os.environ["SANDBOX_URL"]
out = {}

jira = JIRA(server=url, basic_auth=("alice", "alice-password"))
out["server_deployment"] = jira.server_info()["deploymentType"]
out["myself"] = jira.myself()["name"]

issues = jira.search_issues("project = ROAD ORDER BY key ASC", maxResults=False)
out["road_keys"] = [issue.key for issue in issues]

created = jira.create_issue(project="ROAD", issuetype={"name": "Task"}, summary="From python-jira",
                            description="Some *bold* text", labels=["python"])
out["created_key"] = created.key
created.update(fields={"summary": "Edited by python-jira"})
fetched = jira.issue(created.key)
out["edited_summary"] = fetched.fields.summary
out["description"] = fetched.fields.description

transitions = jira.transitions(created)
out["transition_names"] = sorted(t["name"] for t in transitions)
target = transitions[0]
out["transition_to"] = target["to"]["name"]
jira.transition_issue(created, target["id"])
out["status_after"] = jira.issue(created.key).fields.status.name

comment = jira.add_comment(created, "A comment from python")
out["comment_body"] = jira.comment(created.key, comment.id).body
worklog = jira.add_worklog(created, timeSpent="2h")
out["worklog_seconds"] = worklog.timeSpentSeconds
out["time_spent"] = jira.issue(created.key).fields.timespent

try:
    jira.issue("ROAD-99999")
    out["missing_status"] = None
except JIRAError as error:
    out["missing_status"] = error.status_code
    out["missing_text"] = error.text

try:
    jira.search_issues("project = ")
    out["bad_jql_status"] = None
except JIRAError as error:
    out["bad_jql_status"] = error.status_code

bob = JIRA(server=url, token_auth="bob-pat")

try:
    bob.search_issues("project = OPS")
    out["bob_ops_status"] = 200
except JIRAError as error:
    out["bob_ops_status"] = error.status_code
out["bob_myself"] = bob.myself()["name"]

try:
    JIRA(server=url, basic_auth=("alice", "wrong-password"), max_retries=0).myself()
    out["wrong_password_status"] = None
except JIRAError as error:
    out["wrong_password_status"] = error.status_code

json.dump(out, sys.stdout)

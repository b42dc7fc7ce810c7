#!/usr/bin/env bash
# The GitHub side of delivery, as code: run once by a repository administrator, again after any
# change here (every call is idempotent: PUT, or POST after looking for what exists).
#   GH_REPO=stayup-dev/stayup LIVE_REVIEWERS=<team-slug> tools/scripts/configure-github.sh
#   DRY_RUN=1 tools/scripts/configure-github.sh      # prints the calls, needs no token
# What it sets (docs/delivery.md says why, README "Delivery" in what order):
#   - the OIDC subject template: repo, context, ref, job_workflow_ref (the deploy roles trust
#     exactly that subject: apps/platform/src/delivery-stack.ts, OIDC_SUBJECT_CLAIMS)
#     https://docs.github.com/en/rest/actions/oidc#set-the-customization-template-for-an-oidc-subject-claim-for-a-repository
#   - environments dev, staging, live and npm that admit deployments from main only, with
#     required reviewers on live and npm
#     https://docs.github.com/en/rest/deployments/environments#create-or-update-an-environment
#     https://docs.github.com/en/rest/deployments/branch-policies
#   - workflows read-only by default, unable to approve pull requests, actions pinned to SHAs
#     https://docs.github.com/en/rest/actions/permissions
#   - a ruleset on main: pull requests with the CI checks, no force-push, no deletion
#     https://docs.github.com/en/rest/repos/rules#create-a-repository-ruleset
# Environment variables (AWS_ACCOUNT_ID, AWS_REGION, API_HOST) are per account: set them with
# `gh variable set <name> --env <env> --body <value>` (README "Delivery").
set -euo pipefail

repo="${GH_REPO:-stayup-dev/stayup}"
owner="${repo%%/*}"
live_reviewers="${LIVE_REVIEWERS:-}"
sub_claims='["repo","context","ref","job_workflow_ref"]'
# the names of ci.yml's verify and image jobs, reported by the GitHub Actions app (15368), so no
# other app can satisfy them
required_checks='[
  {"context": "affected lint, typecheck, test, build, synth; e2e; audit; release dry run", "integration_id": 15368},
  {"context": "API image, built once (multi-arch, SBOM, provenance) and scanned", "integration_id": 15368}]'

api() {
  if [ -n "${DRY_RUN:-}" ]; then
    printf 'gh api %s\n' "$*"
    [ -t 0 ] || sed 's/^/  /'
    return 0
  fi
  gh api -H 'Accept: application/vnd.github+json' "$@"
}

reviewers_json() {
  if [ -z "${live_reviewers}" ]; then
    echo '[]'
  elif [ -n "${DRY_RUN:-}" ]; then
    echo "[{\"type\":\"Team\",\"id\":\"<id of ${owner}/${live_reviewers}>\"}]"
  else
    echo "[{\"type\":\"Team\",\"id\":$(gh api "orgs/${owner}/teams/${live_reviewers}" --jq .id)}]"
  fi
}

echo "# ${repo}: OIDC subject claims ${sub_claims}"
api -X PUT "repos/${repo}/actions/oidc/customization/sub" --input - <<EOF
{"use_default": false, "include_claim_keys": ${sub_claims}}
EOF

echo "# ${repo}: workflows read-only by default; actions pinned to full SHAs"
api -X PUT "repos/${repo}/actions/permissions/workflow" --input - <<EOF
{"default_workflow_permissions": "read", "can_approve_pull_request_reviews": false}
EOF
api -X PUT "repos/${repo}/actions/permissions" --input - <<EOF
{"enabled": true, "allowed_actions": "all", "sha_pinning_required": true}
EOF

for env in dev staging live npm; do
  reviewers='[]'
  case "${env}" in live | npm) reviewers="$(reviewers_json)" ;; esac
  echo "# environment ${env}: deployments from main only; reviewers ${reviewers}"
  api -X PUT "repos/${repo}/environments/${env}" --input - <<EOF
{"prevent_self_review": true, "reviewers": ${reviewers},
 "deployment_branch_policy": {"protected_branches": false, "custom_branch_policies": true}}
EOF
  if [ -n "${DRY_RUN:-}" ] || ! gh api "repos/${repo}/environments/${env}/deployment-branch-policies" \
    --jq '.branch_policies[] | select(.type == "branch") | .name' | grep -qx main; then
    api -X POST "repos/${repo}/environments/${env}/deployment-branch-policies" --input - <<EOF
{"name": "main", "type": "branch"}
EOF
  fi
done

echo "# ruleset main: pull requests with the CI checks, no force-push, no deletion"
ruleset=$(
  cat <<EOF
{"name": "main", "target": "branch", "enforcement": "active",
 "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
 "rules": [
   {"type": "deletion"}, {"type": "non_fast_forward"},
   {"type": "pull_request", "parameters": {"required_approving_review_count": 1,
     "dismiss_stale_reviews_on_push": true, "require_code_owner_review": false,
     "require_last_push_approval": true, "required_review_thread_resolution": false}},
   {"type": "required_status_checks", "parameters": {"strict_required_status_checks_policy": true,
     "required_status_checks": ${required_checks}}}
 ]}
EOF
)
existing=''
[ -n "${DRY_RUN:-}" ] || existing="$(gh api "repos/${repo}/rulesets" --jq '.[] | select(.name == "main") | .id')"
if [ -n "${existing}" ]; then
  api -X PUT "repos/${repo}/rulesets/${existing}" --input - <<<"${ruleset}"
else
  api -X POST "repos/${repo}/rulesets" --input - <<<"${ruleset}"
fi

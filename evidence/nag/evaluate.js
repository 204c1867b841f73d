// Evaluate cdk-nag's NIST 800-53 R5 and AwsSolutions rules on every resource of synthesized
// templates and print one JSON record per rule x resource, passes and not-applicable included.
// cdk-nag 3 reports only violations; overriding applyRule records every outcome instead.
// Usage: node evaluate.js TEMPLATE...   (modules come from NODE_PATH, see runner.py)
'use strict';
const path = require('path');
const cdk = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const nag = require('cdk-nag');

const PACKS = [nag.NIST80053R5Checks, nag.AwsSolutionsChecks];
const records = [];
for (const file of process.argv.slice(2)) {
  const stack = new cdk.Stack(new cdk.App(), 'Evidence');
  const template = new CfnInclude(stack, 'Template', { templateFile: file, preserveLogicalIds: true });
  for (const Pack of PACKS) {
    const pack = new Pack();
    pack.applyRule = function applyRule(params) {
      const rule = `${this.packName}-${params.ruleSuffixOverride || params.rule.name}`;
      let outcome;
      try {
        outcome = params.rule(params.node);
      } catch (error) {
        outcome = `error: ${error.message}`;
      }
      if (outcome === nag.NagRuleCompliance.NOT_APPLICABLE) return;
      records.push({
        template: path.basename(file),
        pack: this.packName,
        rule,
        logicalId: stack.resolve(params.node.logicalId),
        type: params.node.cfnResourceType,
        outcome,
        level: params.level,
        info: params.info,
      });
    };
    pack.validateScope(template);
  }
}
process.stdout.write(JSON.stringify(records));

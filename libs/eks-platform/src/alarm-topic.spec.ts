import { describe, expect, it } from '@jest/globals';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmTopic } from './alarm-topic.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation resources are plain JSON */

/*
 * CloudWatch publishes to an encrypted topic only if the key policy lets
 * `cloudwatch.amazonaws.com` call kms:Decrypt and kms:GenerateDataKey*; the AWS managed key's
 * policy cannot: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * enforceSSL denies sns:Publish without aws:SecureTransport (cdk-nag AwsSolutions-SNS3).
 */
function setUp() {
  const stack = new Stack(new App(), 'Alarms', {
    env: { account: '111111111111', region: 'eu-west-1' },
  });
  const alarms = new AlarmTopic(stack, 'Alarms', { displayName: 'stayup live alarms' });
  const alarm = new cloudwatch.Metric({ namespace: 'Test', metricName: 'Errors' }).createAlarm(
    stack,
    'Errors',
    { threshold: 1, evaluationPeriods: 1 },
  );
  alarms.notify(alarm);
  return { template: Template.fromStack(stack) };
}

describe('AlarmTopic', () => {
  it('encrypts the topic with a rotating key that CloudWatch may use to publish', () => {
    const { template } = setUp();
    const [keyId, key] = Object.entries<any>(template.findResources('AWS::KMS::Key'))[0];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  it('refuses publishers without TLS', () => {
    setUp().template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('notifies the topic when an alarm fires and when it recovers', () => {
    const { template } = setUp();
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });
  });
});

import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Options of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** What the topic is for, in its display name. */
  readonly displayName: string;
}

/**
 * The SNS topic alarms notify: encrypted with a customer managed key that CloudWatch may use,
 * and refusing plain-HTTP publishers. An SNS topic encrypted with the AWS managed key
 * (`alias/aws/sns`) silently drops CloudWatch's notifications: its key policy cannot be changed
 * to let `cloudwatch.amazonaws.com` use it (Amazon SNS developer guide, "Configuring AWS KMS
 * permissions for AWS services":
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * Subscribe a pager, chat or mail endpoint to {@link topic}.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encryption of the SNS topic ${props.displayName}`,
      enableKeyRotation: true,
    });
    // what CloudWatch needs to publish to an encrypted topic (the page above)
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName,
      masterKey: this.key,
      enforceSSL: true,
    });
  }

  /** Notifies the topic when `alarm` fires and when it recovers. */
  notify(...alarms: cloudwatch.Alarm[]): void {
    const action = new actions.SnsAction(this.topic);
    for (const alarm of alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}

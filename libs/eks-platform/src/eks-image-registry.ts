/**
 * Where EKS's own images (the AWS Load Balancer Controller among them) live in each region: one
 * ECR registry per region, so a cluster pulls from its own region and keeps running when another
 * region is down. Regions not listed are refused at synth rather than guessed.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html
 */
export const EKS_IMAGE_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '602401143452',
  'us-east-2': '602401143452',
  'us-west-1': '602401143452',
  'us-west-2': '602401143452',
  'ca-central-1': '602401143452',
  'sa-east-1': '602401143452',
  'eu-central-1': '602401143452',
  'eu-north-1': '602401143452',
  'eu-west-1': '602401143452',
  'eu-west-2': '602401143452',
  'eu-west-3': '602401143452',
  'ap-northeast-1': '602401143452',
  'ap-northeast-2': '602401143452',
  'ap-northeast-3': '602401143452',
  'ap-south-1': '602401143452',
  'ap-southeast-1': '602401143452',
  'ap-southeast-2': '602401143452',
  'af-south-1': '877085696533',
  'ap-east-1': '800184023465',
  'ap-south-2': '900889452093',
  'ap-southeast-3': '296578399912',
  'ap-southeast-4': '491585149902',
  'ap-southeast-5': '151610086707',
  'ap-southeast-7': '121268973566',
};

/** `<account>.dkr.ecr.<region>.amazonaws.com`, the EKS image registry of `region`. */
export function eksImageRegistry(region: string): string {
  const account = EKS_IMAGE_REGISTRY_ACCOUNTS[region];
  if (!account) {
    throw new Error(
      `'region' (${region}) has no known EKS image registry: add it to EKS_IMAGE_REGISTRY_ACCOUNTS ` +
        `from https://docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html`,
    );
  }
  return `${account}.dkr.ecr.${region}.amazonaws.com`;
}

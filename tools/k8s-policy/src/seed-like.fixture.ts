import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './manifest.js';

/**
 * Manifests in the style of the seed exercise's chart: a NodePort Service, an HPA with min 1, a
 * PDB that blocks drains, no security context, a NetworkPolicy whose selector matches nothing.
 */
export const SEED_LIKE = parseAllDocuments(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: lemon-api, namespace: lemon, labels: { app.kubernetes.io/instance: lemon } }
spec:
  replicas: 1
  selector: { matchLabels: { app: lemon-api } }
  template:
    metadata: { labels: { app: lemon-api } }
    spec:
      containers:
        - name: api
          image: sdbaner/lemon-api:latest
          ports: [{ containerPort: 80 }]
          env: [{ name: DB_PASSWORD, value: hunter2 }]
          livenessProbe: { httpGet: { path: /alive, port: 80 } }
          readinessProbe: { httpGet: { path: /alive, port: 80 } }
---
apiVersion: v1
kind: Service
metadata: { name: lemon-api, namespace: lemon }
spec:
  type: NodePort
  selector: { app: lemon-api }
  ports: [{ port: 80, targetPort: web }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: lemon-api, namespace: lemon }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: lemon-api }
  minReplicas: 1
  maxReplicas: 1
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: lemon-api, namespace: lemon }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: lemon-api } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: lemon-api, namespace: lemon }
spec:
  podSelector: { matchLabels: { app: lemon } }
  policyTypes: [Ingress]
`).map((d) => d.toJS() as K8sObject);

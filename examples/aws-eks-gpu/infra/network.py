"""The VPC: one private subnet per Availability Zone of the region (the zones come from a data source)."""

import ipaddress

import pulumi_aws as aws


def private_subnets(name: str, cidr: str) -> list[aws.ec2.Subnet]:
    vpc = aws.ec2.Vpc(name, cidr_block=cidr, enable_dns_hostnames=True, tags={"Name": name})
    zones = aws.get_availability_zones(state="available")
    blocks = ipaddress.ip_network(cidr).subnets(new_prefix=20)
    return [
        aws.ec2.Subnet(f"{name}-{zone}", vpc_id=vpc.id, availability_zone=zone, cidr_block=str(next(blocks)),
                       map_public_ip_on_launch=False, tags={"Name": f"{name}-{zone}"})
        for zone in zones.names
    ]
